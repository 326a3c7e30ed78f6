// The all-in-one cloud, served to the real OpenStack clients: Identity on 5000, Compute on 8774,
// Image on 9292 (127.0.0.1), state in ./data (SQLite + image files), three fake hypervisors.
// `pnpm start`; Ctrl-C stops it; the next start finds everything where it was.
import { mkdirSync } from 'node:fs';
import { createHostSelector } from '@nubo/scheduler-filters';
import { join, resolve } from 'node:path';
import { Cloud, FakeDriver, JsonLogger, type LogLevel } from '@nubo/core';
import { startOpenStackApi } from '@nubo/api-openstack';
import { ensureDemoImage, ensureDemoProject } from './seed-demo.js';

const dataDir = resolve(process.env.NUBO_DATA_DIR ?? 'data');
const host = process.env.NUBO_HOST ?? '127.0.0.1';
const adminPassword = process.env.NUBO_ADMIN_PASSWORD ?? 'admin-secret';
const demoPassword = process.env.NUBO_DEMO_PASSWORD ?? 'demo-secret';
const port = (name: string, fallback: number) => (process.env[name] === undefined ? fallback : Number(process.env[name]));
const ports = { identity: port('NUBO_IDENTITY_PORT', 5000), compute: port('NUBO_COMPUTE_PORT', 8774), image: port('NUBO_IMAGE_PORT', 9292) };
mkdirSync(dataDir, { recursive: true });

const logger = new JsonLogger(undefined, (process.env.NUBO_LOG_LEVEL as LogLevel | undefined) ?? 'info');
const cloud = await Cloud.start({
  database: { url: `sqlite:${join(dataDir, 'nubo.sqlite')}` },
  imageDataDir: join(dataDir, 'images'),
  hostName: 'all-in-one',
  logger,
  computeHosts: ['compute1', 'compute2', 'compute3'].map((name) => ({
    host: name,
    driver: new FakeDriver({ capacity: { vcpus: 16, memoryMb: 32768, localGb: 1000 } }),
  })),
  bootstrap: { adminUser: 'admin', adminPassword, adminProject: 'admin' },
  // Nova's filters and weighers (plus the RAM/CPU/disk filters Nova had before placement).
  hostSelector: createHostSelector(),
});

let api: Awaited<ReturnType<typeof startOpenStackApi>> | null = null;
let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info('stopping', { signal });
  await api?.close();
  await cloud.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

try {
  const token = await cloud.identity.authenticatePassword({ user: { name: 'admin', domainId: 'default' }, password: adminPassword }, { project: { name: 'admin', domainId: 'default' } });
  const admin = await cloud.authenticate(token.token, 'req-all-in-one-seed');
  await ensureDemoProject(cloud, demoPassword);
  const imageId = await ensureDemoImage(cloud, admin);
  await cloud.identity.revokeToken(token.token);
  api = await startOpenStackApi(cloud, { host, ports });

  const env = (user: string, password: string, project: string) => [
    `export OS_AUTH_URL=${api!.endpoints.identity}/v3`,
    'export OS_IDENTITY_API_VERSION=3',
    `export OS_USERNAME=${user}`,
    `export OS_PASSWORD=${password}`,
    `export OS_PROJECT_NAME=${project}`,
    'export OS_USER_DOMAIN_NAME=Default',
    'export OS_PROJECT_DOMAIN_NAME=Default',
    `export OS_REGION_NAME=${cloud.bootstrapResult?.region ?? 'RegionOne'}`,
  ].join('\n');
  process.stderr.write([
    '',
    `Nubo all-in-one is up: identity ${api.endpoints.identity}, compute ${api.endpoints.compute}, image ${api.endpoints.image}`,
    `Data in ${dataDir}; image ${imageId}; hosts compute1..3 (fake driver). Ctrl-C to stop.`,
    '',
    '# as the admin:',
    env('admin', adminPassword, 'admin'),
    '',
    '# or as the demo project\'s member:',
    env('demo', demoPassword, 'demo'),
    '',
    '',
  ].join('\n'));
} catch (err) {
  logger.error('start failed', { error: String((err as Error)?.stack ?? err) });
  await api?.close();
  await cloud.stop();
  process.exit(1);
}
