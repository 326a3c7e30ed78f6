// End to end on the real Xen host: the OpenStack CLI (Debian's python3-openstackclient)
// against Nubo's APIs (Identity v3, Image v2, Compute v2.1) of an all-in-one cloud whose only
// compute host runs the Xen driver: `server create --wait` boots a PV guest, `server delete
// --wait` removes its domain and its volumes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDriverCloud, type DriverCloud } from '@nubo/api-openstack/testing';
import { XenDriver } from '../../src/index.js';
import { domainNames, driverOptions, poolFiles, PREFIX } from '../support/xen-guest.js';
import { GUEST_LINE } from '../support/xen-host.js';

describe('openstack server create / delete on the Xen driver (all-in-one cloud, real CLI)', () => {
  let dir = '';
  let nubo: DriverCloud;
  let driver: XenDriver;

  beforeAll(async () => {
    dir = mkdtempSync('/var/tmp/nubo-xen-cli-');
    driver = new XenDriver(driverOptions());
    nubo = await startDriverCloud({ dir, host: 'xen-1', driver, cliTimeoutMs: 300_000 });
  }, 300_000);

  afterAll(async () => {
    await nubo?.stop();
    for (const uuid of (await driver?.listInstances().catch(() => [])) ?? []) await driver.destroy(uuid).catch(() => undefined);
    await driver?.close().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it('server create --wait boots a PV guest from an AKI/ARI image; server delete --wait removes its domain and volumes', async () => {
    const file = join(dir, 'root.img');
    writeFileSync(file, Buffer.alloc(1 << 20));
    await nubo.openstack('image', 'create', '--disk-format', 'raw', '--container-format', 'bare', '--public', '--file', file,
      '--property', 'kernel_id=vmlinuz', '--property', 'ramdisk_id=initrd.img', '--property', 'os_command_line=console=hvc0 quiet', 'xen-pv');

    const server = await nubo.openstack('server', 'create', '--flavor', 'm1.tiny', '--image', 'xen-pv', '--wait', 'xen-vm-1');
    expect(server.status).toBe('ACTIVE');
    const uuid = String(server.id);
    expect(await domainNames()).toContain(`${PREFIX}${uuid}`);
    expect(await driver.readConsole(uuid, { until: GUEST_LINE, timeoutMs: 150_000 })).toMatch(GUEST_LINE);
    expect((await poolFiles()).filter((f) => f.startsWith(uuid))).toEqual([`${uuid}.disk`]);

    await nubo.openstack('server', 'delete', '--wait', uuid);
    // --wait ends when the API stops showing the server; the compute host may still be tearing down.
    for (let i = 0; i < 240 && (await driver.listInstances()).includes(uuid); i++) await sleep(250);
    expect(await domainNames()).not.toContain(`${PREFIX}${uuid}`);
    for (let i = 0; i < 40 && (await poolFiles()).some((f) => f.startsWith(uuid)); i++) await sleep(250);
    expect((await poolFiles()).filter((f) => f.startsWith(uuid))).toEqual([]);
  }, 600_000);
});
