import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '@nubo/core/testing';
import { createTestVhost, type TestVhost } from '../../../packages/cloud/test/support/rabbitmq-vhost.js';

const run = promisify(execFile);
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const TSX = createRequire(import.meta.url).resolve('tsx');

// The example as a user runs it (API + 2 schedulers + conductor + 3 computes, each a process),
// driven by the real `openstack` CLI. On PostgreSQL; MariaDB is the conductor-crash test's.
describe('examples/multi-node with the openstack CLI', () => {
  let db: TestDatabase;
  let vhost: TestVhost;
  let dir: string;
  let main: ReturnType<typeof spawn>;
  const osEnv: Record<string, string> = {};
  const openstack = async (...args: string[]) =>
    (await run('openstack', args, { env: { ...process.env, ...osEnv }, timeout: 120_000 })).stdout;

  beforeAll(async () => {
    [db, vhost] = await Promise.all([createTestDatabase('postgres'), createTestVhost()]);
    dir = mkdtempSync(join(tmpdir(), 'nubo-example-mn-'));
    main = spawn(process.execPath, ['--conditions=nubo-source', '--import', TSX, MAIN], {
      cwd: dir,
      env: {
        ...process.env, NUBO_DATABASE_URL: db.url, NUBO_AMQP_URL: vhost.url, NUBO_EXAMPLE_DATA_DIR: join(dir, 'data'),
        NUBO_IDENTITY_PORT: '0', NUBO_COMPUTE_PORT: '0', NUBO_IMAGE_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output: string[] = [];
    main.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    await new Promise<void>((resolve, reject) => {
      main.once('exit', (code) => reject(new Error(`the example exited (${code}) before it was up:\n${output.join('')}`)));
      createInterface({ input: main.stdout! }).on('line', (line) => {
        const m = /^export (OS_[A-Z_]+)=(.*)$/.exec(line);
        if (m) osEnv[m[1]!] = m[2]!;
        if (m?.[1] === 'OS_PROJECT_DOMAIN_NAME') resolve();
      });
    });
  }, 300_000);

  afterAll(async () => {
    if (main && main.exitCode === null) {
      const exited = new Promise<number | null>((r) => main.once('exit', (code) => r(code)));
      main.kill('SIGTERM');
      // Every process stopped gracefully: the launcher exits 0 once they all have.
      expect(await exited).toBe(0);
    }
    await db?.drop().catch(() => undefined);
    await vhost?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it('boots a server through the CLI; every service shows up in os-services', async () => {
    const services = JSON.parse(await openstack('compute', 'service', 'list', '-f', 'json')) as Array<{ Binary: string; Host: string; State: string }>;
    expect(services.map((s) => `${s.Binary}@${s.Host}:${s.State}`).sort()).toEqual([
      'nubo-compute@compute1:up', 'nubo-compute@compute2:up', 'nubo-compute@compute3:up',
      'nubo-conductor@conductor1:up', 'nubo-scheduler@scheduler1:up', 'nubo-scheduler@scheduler2:up',
    ]);
    const disk = join(dir, 'disk.raw');
    writeFileSync(disk, Buffer.alloc(64 * 1024, 1));
    await openstack('image', 'create', '--disk-format', 'raw', '--container-format', 'bare', '--public', '--file', disk, 'cirros');
    const server = JSON.parse(await openstack('server', 'create', '--flavor', 'm1.tiny', '--image', 'cirros', '--wait', '-f', 'json', 'vm1')) as Record<string, string>;
    expect(server.status).toBe('ACTIVE');
    expect(server['OS-EXT-SRV-ATTR:host']).toMatch(/^compute[123]$/);
  }, 300_000);
});
