// End to end in one process: Nubo's embedded cloud (API service, scheduler, conductor,
// compute manager) with the libvirt driver boots a real QEMU guest from an image uploaded to
// the built-in image service, stops it and deletes it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Cloud, JsonLogger, silentLogger, type ServerView } from '@nubo/core';
import { LibvirtDriver } from '../src/index.js';
import { bootSectorDisk } from './support/boot-sector-image.js';
import { ensureLibvirtd, TEST_PREFIX } from './support/libvirtd.js';

let dir = '';
let cloud: Cloud;
let driver: LibvirtDriver;

beforeAll(async () => {
  await ensureLibvirtd();
  dir = mkdtempSync('/var/tmp/nubo-libvirt-cloud-');
  await chmod(dir, 0o755);
  driver = new LibvirtDriver({ instancesPath: join(dir, 'instances'), domainPrefix: TEST_PREFIX, virtType: 'qemu' });
  cloud = await Cloud.start({
    database: { url: `sqlite:${join(dir, 'nubo.sqlite')}` },
    imageDataDir: join(dir, 'images'),
    logger: process.env.NUBO_TEST_LOG ? new JsonLogger(undefined, 'debug') : silentLogger,
    computeHosts: [{ host: 'libvirt-1', driver }],
    bootstrap: { adminUser: 'admin', adminPassword: 'admin-secret', adminProject: 'admin' },
    identity: { passwordHashCost: 4 },
  });
  // The scheduler re-reads compute services at most once a second; a request in the very
  // first second after start can miss the compute service that just registered.
  await new Promise((r) => setTimeout(r, 1500));
}, 900_000);

afterAll(async () => {
  await cloud?.stop();
  for (const uuid of (await driver?.listInstances().catch(() => [])) ?? []) await driver.destroy(uuid).catch(() => undefined);
  await driver?.close().catch(() => undefined);
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 120_000);

async function until(ctx: Parameters<Cloud['computeApi']['getServer']>[0], uuid: string, want: (v: ServerView) => boolean, timeoutMs = 120_000): Promise<ServerView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await cloud.computeApi.getServer(ctx, uuid);
    if (want(v) || Date.now() > deadline) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
}

it('boots a server from an uploaded image onto QEMU through libvirt, stops it, follows changes made with virsh, deletes it', async () => {
  const token = await cloud.identity.authenticatePassword(
    { user: { name: 'admin', domainId: 'default' }, password: 'admin-secret' }, { project: { name: 'admin', domainId: 'default' } });
  const ctx = await cloud.authenticate(token.token);
  const image = await cloud.images.create(ctx, { name: 'boot-sector', diskFormat: 'raw', containerFormat: 'bare', visibility: 'public' });
  await cloud.images.upload(ctx, image.id, (async function* () { yield bootSectorDisk('hello from a nubo server'); })());

  const { servers } = await cloud.computeApi.createServers(ctx, { name: 'vm1', flavorRef: '1', imageRef: image.id });
  const uuid = servers[0]!.instance.uuid;
  const active = await until(ctx, uuid, (v) => v.status !== 'BUILD');
  expect(active.status, JSON.stringify(active.fault ?? active)).toBe('ACTIVE');
  expect(active.instance.host).toBe('libvirt-1');

  const name = driver.domainName(uuid);
  const virsh = (...a: string[]) => execFileSync('virsh', ['-c', 'qemu:///system', ...a], { encoding: 'utf8' });
  expect(virsh('domstate', name).trim()).toBe('running');
  let log = '';
  for (let i = 0; i < 200 && !log.includes('hello from a nubo server'); i++) {
    log = existsSync(driver.consoleLogPath(uuid)) ? readFileSync(driver.consoleLogPath(uuid), 'latin1') : '';
    await new Promise((r) => setTimeout(r, 250));
  }
  expect(log).toContain('hello from a nubo server');

  await cloud.serverActions.stop(ctx, uuid);
  expect((await until(ctx, uuid, (v) => v.status === 'SHUTOFF')).status).toBe('SHUTOFF');
  expect(virsh('domstate', name).trim()).toBe('shut off');

  // Power-state sync from libvirt's events: changes made behind Nubo's back reach the API.
  virsh('start', name);
  expect((await until(ctx, uuid, (v) => v.status === 'ACTIVE')).status).toBe('ACTIVE');
  virsh('destroy', name);
  expect((await until(ctx, uuid, (v) => v.status === 'SHUTOFF')).status).toBe('SHUTOFF');

  await cloud.computeApi.deleteServer(ctx, uuid);
  // The server leaves the API only once the driver's destroy (domain, then disks) has finished.
  const gone = async () => cloud.computeApi.getServer(ctx, uuid).then(() => false, () => true);
  for (let i = 0; i < 400 && !(await gone()); i++) await new Promise((r) => setTimeout(r, 250));
  expect(await driver.listInstances()).not.toContain(uuid);
  expect(virsh('list', '--all', '--name')).not.toContain(name);
  expect(existsSync(join(dir, 'instances', uuid))).toBe(false);
}, 300_000);
