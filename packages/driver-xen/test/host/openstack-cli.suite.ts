// End to end on the real Xen host: the OpenStack CLI (Debian's python3-openstackclient)
// against Nubo's APIs (Identity v3, Image v2, Compute v2.1) of an all-in-one cloud whose only
// compute host runs the Xen driver: `server create --wait` boots a PV guest, `server delete
// --wait` removes its domain and its volumes.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOpenStackApi, type OpenStackApi } from '@nubo/api-openstack';
import { Cloud, silentLogger } from '@nubo/core';
import { XenDriver } from '../../src/index.js';
import { domainNames, driverOptions, poolFiles, PREFIX } from '../support/xen-guest.js';
import { GUEST_LINE } from '../support/xen-host.js';

const run = promisify(execFile);

describe('openstack server create / delete on the Xen driver (all-in-one cloud, real CLI)', () => {
  let dir = '';
  let cloud: Cloud;
  let api: OpenStackApi;
  let driver: XenDriver;

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
    const { stdout } = await run('openstack', silent ? args : [...args, '-f', 'json'], { env, timeout: 300_000 });
    if (silent) return {};
    return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
  }

  beforeAll(async () => {
    dir = mkdtempSync('/var/tmp/nubo-xen-cli-');
    driver = new XenDriver(driverOptions());
    cloud = await Cloud.start({
      database: { url: `sqlite:${join(dir, 'nubo.sqlite')}` },
      imageDataDir: join(dir, 'images'),
      logger: silentLogger,
      computeHosts: [{ host: 'xen-1', driver }],
      bootstrap: { adminUser: 'admin', adminPassword: 'admin-secret', adminProject: 'admin' },
    });
    api = await startOpenStackApi(cloud, { ports: { identity: 0, compute: 0, image: 0 }, logger: silentLogger });
  }, 300_000);

  afterAll(async () => {
    await api?.close();
    await cloud?.stop();
    for (const uuid of (await driver?.listInstances().catch(() => [])) ?? []) await driver.destroy(uuid).catch(() => undefined);
    await driver?.close().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it('server create --wait boots a PV guest from an AKI/ARI image; server delete --wait removes its domain and volumes', async () => {
    const file = join(dir, 'root.img');
    writeFileSync(file, Buffer.alloc(1 << 20));
    await openstack('image', 'create', '--disk-format', 'raw', '--container-format', 'bare', '--public', '--file', file,
      '--property', 'kernel_id=vmlinuz', '--property', 'ramdisk_id=initrd.img', '--property', 'os_command_line=console=hvc0 quiet', 'xen-pv');

    const server = await openstack('server', 'create', '--flavor', 'm1.tiny', '--image', 'xen-pv', '--wait', 'xen-vm-1');
    expect(server.status).toBe('ACTIVE');
    const uuid = String(server.id);
    expect(await domainNames()).toContain(`${PREFIX}${uuid}`);
    expect(await driver.readConsole(uuid, { until: GUEST_LINE, timeoutMs: 150_000 })).toMatch(GUEST_LINE);
    expect((await poolFiles()).filter((f) => f.startsWith(uuid))).toEqual([`${uuid}.disk`]);

    await openstack('server', 'delete', '--wait', uuid);
    // --wait ends when the API stops showing the server; the compute host may still be tearing down.
    for (let i = 0; i < 240 && (await driver.listInstances()).includes(uuid); i++) await sleep(250);
    expect(await domainNames()).not.toContain(`${PREFIX}${uuid}`);
    for (let i = 0; i < 40 && (await poolFiles()).some((f) => f.startsWith(uuid)); i++) await sleep(250);
    expect((await poolFiles()).filter((f) => f.startsWith(uuid))).toEqual([]);
  }, 600_000);
});
