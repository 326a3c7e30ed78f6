// The multi-node cloud on one machine: API + 2 schedulers + 1 conductor + 3 fake-driver computes,
// each its own `nubo` process with its own host name, joined by RabbitMQ and one PostgreSQL
// database (MariaDB with --mariadb). `pnpm start [--mariadb]`; Ctrl-C stops every process
// gracefully. Process logs go to <data>/logs/<name>.log.
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, spawnNubo, type NuboChild } from '@nubo/cloud';
import { ensureDatabase, ensureVhost } from './ensure-backends.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const configPath = resolve(process.env.NUBO_CONFIG ?? join(here, '..', 'nubo.yaml'));
const dataDir = resolve(process.env.NUBO_EXAMPLE_DATA_DIR ?? join('data', 'multi-node'));
const env: NodeJS.ProcessEnv = {};
if (process.argv.includes('--mariadb') && !process.env.NUBO_DATABASE_URL) env.NUBO_DATABASE_URL = 'mariadb://root@127.0.0.1:3306/nubo_multinode';
if (!process.env.NUBO_IMAGE_DATA_DIR) env.NUBO_IMAGE_DATA_DIR = join(dataDir, 'images');
const config = loadConfig(configPath, { ...process.env, ...env });

const PROCESSES: Array<{ name: string; args: string[] }> = [
  { name: 'conductor1', args: ['conductor', '--host', 'conductor1'] },
  { name: 'scheduler1', args: ['scheduler', '--host', 'scheduler1'] },
  { name: 'scheduler2', args: ['scheduler', '--host', 'scheduler2'] },
  { name: 'compute1', args: ['compute', '--host', 'compute1', '--driver', 'fake'] },
  { name: 'compute2', args: ['compute', '--host', 'compute2', '--driver', 'fake'] },
  { name: 'compute3', args: ['compute', '--host', 'compute3', '--driver', 'fake'] },
  { name: 'api1', args: ['api', '--host', 'api1'] },
];

const logDir = join(dataDir, 'logs');
mkdirSync(logDir, { recursive: true });
const children: NuboChild[] = [];
let stopping = false;

function start(name: string, args: string[]): NuboChild {
  const log = createWriteStream(join(logDir, `${name}.log`), { flags: 'a' });
  const child = spawnNubo([...args, '--config', configPath], { name, env, onLine: (line) => log.write(line + '\n') });
  void child.exited.then(({ code, signal }) => {
    log.end();
    if (!stopping) process.stderr.write(`[${name}] exited unexpectedly (code ${code}, signal ${signal}); see ${join(logDir, `${name}.log`)}\n`);
  });
  return child;
}

async function stop(signal: string, exitCode = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`\n${signal}: stopping every process gracefully…\n`);
  // The API first (no new requests), the conductor last (the others still need it while they finish).
  for (const child of [...children].reverse()) await child.kill('SIGTERM');
  process.exit(exitCode);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

try {
  await ensureDatabase(config.database.url);
  await ensureVhost(config.amqp.url);
  const sync = start('db-sync', ['db', 'sync']);
  const synced = await sync.exited;
  if (synced.code !== 0) throw new Error(`nubo db sync failed:\n${sync.tail()}`);
  for (const p of PROCESSES) children.push(start(p.name, p.args));
  const ready = await Promise.all(children.map((c) => c.ready));
  const endpoints = ready.find((r) => r.service === 'api')!.endpoints!;
  const admin = config.bootstrap;
  process.stdout.write([
    '',
    `Nubo multi-node is up: ${PROCESSES.map((p) => p.name).join(', ')} (pids ${children.map((c) => c.pid).join(', ')})`,
    `database ${config.database.url.replace(/\/\/[^@]*@/, '//')}, broker ${config.amqp.url.replace(/\/\/[^@]*@/, '//')}, logs in ${logDir}`,
    `identity ${endpoints.identity}, compute ${endpoints.compute}, image ${endpoints.image}`,
    '',
    `export OS_AUTH_URL=${endpoints.identity}/v3`,
    'export OS_IDENTITY_API_VERSION=3',
    `export OS_USERNAME=${admin?.adminUser ?? 'admin'}`,
    `export OS_PASSWORD=${admin?.adminPassword ?? ''}`,
    `export OS_PROJECT_NAME=${admin?.adminProject ?? 'admin'}`,
    'export OS_USER_DOMAIN_NAME=Default',
    'export OS_PROJECT_DOMAIN_NAME=Default',
    '',
    '',
  ].join('\n'));
} catch (err) {
  process.stderr.write(`multi-node start failed: ${String((err as Error)?.stack ?? err)}\n`);
  await stop('start failure', 1);
}
