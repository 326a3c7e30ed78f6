// End to end: the real OpenStack CLI against Nubo's APIs (Identity v3, Image v2, Compute v2.1),
// an all-in-one cloud whose only compute host runs this driver, and a real QEMU guest.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDriverCloud, type DriverCloud } from '@nubo/api-openstack/testing';
import { LibvirtDriver } from '../src/index.js';
import { bootSectorDisk } from './support/boot-sector-image.js';
import { ensureLibvirtd, TEST_PREFIX } from './support/libvirtd.js';

let dir = '';
let nubo: DriverCloud;
let driver: LibvirtDriver;

beforeAll(async () => {
  await ensureLibvirtd();
  dir = mkdtempSync('/var/tmp/nubo-libvirt-cli-');
  await chmod(dir, 0o755);
  driver = new LibvirtDriver({ instancesPath: join(dir, 'instances'), domainPrefix: TEST_PREFIX, virtType: 'qemu' });
  nubo = await startDriverCloud({ dir, host: 'libvirt-1', driver, cliTimeoutMs: 180_000 });
}, 900_000);

afterAll(async () => {
  await nubo?.stop();
  for (const uuid of (await driver?.listInstances().catch(() => [])) ?? []) await driver.destroy(uuid).catch(() => undefined);
  await driver?.close().catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

it('openstack server create --wait boots a QEMU guest through libvirt; server delete --wait removes it', async () => {
  const file = join(dir, 'boot.raw');
  writeFileSync(file, bootSectorDisk('hello from openstack server create'));
  await nubo.openstack('image', 'create', '--disk-format', 'raw', '--container-format', 'bare', '--public', '--file', file, 'boot-sector');

  const server = await nubo.openstack('server', 'create', '--flavor', 'm1.tiny', '--image', 'boot-sector', '--wait', 'vm-1');
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

  await nubo.openstack('server', 'delete', '--wait', uuid);
  // --wait ends when the API stops showing the server; the compute host may still be tearing down.
  for (let i = 0; i < 240 && (await driver.listInstances()).includes(uuid); i++) await new Promise((r) => setTimeout(r, 250));
  expect(virsh('list', '--all', '--name')).not.toContain(name);
  expect(existsSync(join(dir, 'instances', uuid))).toBe(false);
}, 300_000);
