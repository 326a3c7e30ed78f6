// End to end: the real OpenStack CLI against Nubo's APIs (Identity v3, Image v2, Compute v2.1),
// an all-in-one cloud whose only compute host runs this driver, and a real QEMU guest.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startOpenStackApi, type OpenStackApi } from '@nubo/api-openstack';
import { Cloud, silentLogger } from '@nubo/core';
import { LibvirtDriver } from '../src/index.js';
import { bootSectorDisk } from './support/boot-sector-image.js';
import { ensureLibvirtd, TEST_PREFIX } from './support/libvirtd.js';

const run = promisify(execFile);
let dir = '';
let cloud: Cloud;
let api: OpenStackApi;
let driver: LibvirtDriver;

/** Runs the CLI; `-f json` is added unless the command prints nothing (`server delete`). */
async function openstack(...args: string[]): Promise<Record<string, unknown>> {
  const env = {
    ...process.env,
    OS_AUTH_URL: `${api.endpoints.identity}/v3`,
    OS_IDENTITY_API_VERSION: '3',
    OS_USERNAME: 'admin',
    OS_PASSWORD: 'admin-secret',
    OS_PROJECT_NAME: 'admin',
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_INTERFACE: 'public',
  };
  const silent = args[0] === 'server' && args[1] === 'delete';
  const { stdout } = await run('openstack', silent ? args : [...args, '-f', 'json'], { env, timeout: 180_000 });
  if (silent) return {};
  return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
}

beforeAll(async () => {
  await ensureLibvirtd();
  dir = mkdtempSync('/var/tmp/nubo-libvirt-cli-');
  await chmod(dir, 0o755);
  driver = new LibvirtDriver({ instancesPath: join(dir, 'instances'), domainPrefix: TEST_PREFIX, virtType: 'qemu' });
  cloud = await Cloud.start({
    database: { url: `sqlite:${join(dir, 'nubo.sqlite')}` },
    imageDataDir: join(dir, 'images'),
    logger: silentLogger,
    computeHosts: [{ host: 'libvirt-1', driver }],
    bootstrap: { adminUser: 'admin', adminPassword: 'admin-secret', adminProject: 'admin' },
  });
  api = await startOpenStackApi(cloud, { ports: { identity: 0, compute: 0, image: 0 }, logger: silentLogger });
}, 900_000);

afterAll(async () => {
  await api?.close();
  await cloud?.stop();
  for (const uuid of (await driver?.listInstances().catch(() => [])) ?? []) await driver.destroy(uuid).catch(() => undefined);
  await driver?.close().catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

it('openstack server create --wait boots a QEMU guest through libvirt; server delete --wait removes it', async () => {
  const file = join(dir, 'boot.raw');
  writeFileSync(file, bootSectorDisk('hello from openstack server create'));
  await openstack('image', 'create', '--disk-format', 'raw', '--container-format', 'bare', '--public', '--file', file, 'boot-sector');

  const server = await openstack('server', 'create', '--flavor', 'm1.tiny', '--image', 'boot-sector', '--wait', 'vm-1');
  expect(server.status).toBe('ACTIVE');
  const uuid = String(server.id);
  const name = driver.domainName(uuid);
  const virsh = (...a: string[]) => execFileSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });
  expect(virsh('domstate', name).trim()).toBe('running');
  expect(virsh('dominfo', name)).toMatch(/Max memory:\s+524288 KiB/);
  let log = '';
  for (let i = 0; i < 200 && !log.includes('hello from openstack server create'); i++) {
    log = existsSync(driver.consoleLogPath(uuid)) ? readFileSync(driver.consoleLogPath(uuid), 'latin1') : '';
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(log).toContain('hello from openstack server create');

  await openstack('server', 'delete', '--wait', uuid);
  // --wait ends when the API stops showing the server; the compute host may still be tearing down.
  for (let i = 0; i < 240 && (await driver.listInstances()).includes(uuid); i++) await new Promise((r) => setTimeout(r, 250));
  expect(virsh('list', '--all', '--name')).not.toContain(name);
  expect(existsSync(join(dir, 'instances', uuid))).toBe(false);
}, 300_000);
