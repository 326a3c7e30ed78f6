// XenDriver against the real Xen host (booted by xen-driver.test.ts): real PV guests, their
// disks as volumes of the driver's pool in dom0, typed errors for bad input.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriverError, PowerState, ServiceUnavailable } from '@nubo/core';
import { sampleInstanceSpec } from '@nubo/core/testing';
import { XenDriver, XenImageStore, XenInstanceDisks } from '../../src/index.js';
import { diskGuestImage, domainNames, guestRequest, newDriver, POOL_DIR, poolFiles, PREFIX } from '../support/xen-guest.js';
import { GUEST_LINE, inDom0 } from '../support/xen-host.js';

describe('XenDriver on a real Xen 4.17 host', () => {
  let driver: XenDriver;
  beforeAll(async () => {
    driver = await newDriver();
  }, 60_000);
  afterAll(() => driver?.close());

  it('a PV guest boots through Nubo and prints its known line on the console stream', async () => {
    const uuid = randomUUID();
    await driver.spawn(guestRequest(sampleInstanceSpec(uuid)));
    try {
      expect((await driver.getInfo(uuid)).state).toBe(PowerState.RUNNING);
      const output = await driver.readConsole(uuid, { until: GUEST_LINE, timeoutMs: 150_000 });
      expect(output).toMatch(GUEST_LINE);
      expect(await domainNames()).toContain(`${PREFIX}${uuid}`);
    } finally {
      await driver.destroy(uuid);
    }
    expect(await driver.listInstances()).not.toContain(uuid);
    expect(await domainNames()).not.toContain(`${PREFIX}${uuid}`);
  }, 600_000);

  it('the root disk is a copy-on-write overlay of the image, uploaded once per host; ephemeral and swap disks appear in the guest; destroy removes the instance’s volumes, not the image', async () => {
    const marker = `NUBO-MARKER-${randomUUID().slice(0, 8)}`;
    const image = diskGuestImage(`xen-disk-test-${marker.slice(-8)}`, marker);
    const [a, b] = [randomUUID(), randomUUID()];
    const request = (uuid: string, extra: { ephemeralGb?: number; swapMb?: number }) =>
      ({ instance: sampleInstanceSpec(uuid, { memoryMb: 128, ...extra }), image, network: [], blockDevices: [] });
    try {
      // Two guests of one image at once: one upload, shared.
      const [console] = await Promise.all([
        driver.spawn(request(a, { ephemeralGb: 1, swapMb: 64 })).then(() => driver.readConsole(a, { until: /NUBO-XEN-DISKS-DONE/, timeoutMs: 180_000 })),
        driver.spawn(request(b, {})),
      ]);
      expect(image.opens).toBe(1);
      expect(console).toContain(`NUBO-XEN-XVDA ${marker}`);
      expect(console).toMatch(/NUBO-XEN-DISK xvda bytes=1073741824\b/);
      expect(console).toMatch(/NUBO-XEN-DISK xvdb bytes=1073741824\b/);
      expect(console).toMatch(/NUBO-XEN-DISK xvdc bytes=67108864\b/);
      const imagePath = `${POOL_DIR}/${XenImageStore.volumeName(image.meta.id)}`;
      for (const uuid of [a, b]) {
        const root = JSON.parse(await inDom0(`qemu-img info --output=json ${POOL_DIR}/${XenInstanceDisks.volumeNames(uuid).root}`)) as Record<string, unknown>;
        expect(root.format).toBe('qcow2');
        expect(root['backing-filename']).toBe(imagePath);
      }
      // A later spawn of the same image reuses the host's copy.
      const c = randomUUID();
      await driver.spawn(request(c, {}));
      await driver.destroy(c);
      expect(image.opens).toBe(1);
    } finally {
      await driver.destroy(a);
      await driver.destroy(b);
    }
    const files = await poolFiles();
    expect(files).toContain(XenImageStore.volumeName(image.meta.id));
    expect(files).toContain(XenImageStore.completionMarkerName(image.meta.id));
    expect(files.filter((f) => f.startsWith(a) || f.startsWith(b))).toEqual([]);
  }, 900_000);

  it('an image volume left by an upload cut short (no completion marker) is uploaded again, never booted from', async () => {
    const marker = `NUBO-MARKER-${randomUUID().slice(0, 8)}`;
    const image = diskGuestImage(`xen-cut-test-${marker.slice(-8)}`, marker);
    // What a compute process killed mid-upload leaves: the image volume, part-written, no marker.
    await inDom0(`head -c 4096 /dev/zero > ${POOL_DIR}/${XenImageStore.volumeName(image.meta.id)} && virsh -c xen:///system pool-refresh nubo-xen >/dev/null`);
    const uuid = randomUUID();
    try {
      await driver.spawn({ instance: sampleInstanceSpec(uuid, { memoryMb: 128 }), image, network: [], blockDevices: [] });
      const console = await driver.readConsole(uuid, { until: /NUBO-XEN-DISKS-DONE/, timeoutMs: 180_000 });
      expect(image.opens).toBe(1);
      expect(console).toContain(`NUBO-XEN-XVDA ${marker}`);
    } finally {
      await driver.destroy(uuid);
    }
    expect(await poolFiles()).toContain(XenImageStore.completionMarkerName(image.meta.id));
  }, 900_000);

  it('reports Xen’s own capacity with dom0’s memory left out', async () => {
    const r = await driver.getAvailableResources();
    expect(r.hypervisorType).toBe('Xen');
    expect(r.hypervisorVersion).toBeGreaterThanOrEqual(4_017_000);
    const totalMb = Number(/total_memory\s*:\s*(\d+)/.exec(await inDom0('xl info'))![1]);
    const dom0Mb = Number(/^Domain-0\s+0\s+(\d+)/m.exec(await inDom0('xl list'))![1]);
    expect(r.memoryMb).toBe(totalMb - dom0Mb);
    expect(r.localGb).toBeGreaterThan(0);
    expect(r.supportedInstances.some(([, type, mode]) => type === 'xen' && mode === 'xen')).toBe(true);
  }, 180_000);

  it('an image whose kernel is not in dom0 fails with DriverError and leaves no domain and no volume', async () => {
    const uuid = randomUUID();
    await expect(driver.spawn(guestRequest(sampleInstanceSpec(uuid), { kernel_id: 'no-such-kernel' }))).rejects.toBeInstanceOf(DriverError);
    expect(await domainNames()).not.toContain(`${PREFIX}${uuid}`);
    expect((await poolFiles()).filter((f) => f.startsWith(uuid))).toEqual([]);
  }, 300_000);

  it('an image without kernel_id, or in a format the driver cannot boot, is refused before anything is made, not to be retried', async () => {
    for (const [i, change] of [{ properties: {} }, { diskFormat: 'vmdk' }].entries()) {
      const uuid = randomUUID();
      const request = guestRequest(sampleInstanceSpec(uuid));
      request.image = { ...request.image!, meta: { ...request.image!.meta, id: `bad-image-${i}`, ...change } };
      const err = await driver.spawn(request).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DriverError);
      expect((err as DriverError).retryable).toBe(false);
      expect(await domainNames()).not.toContain(`${PREFIX}${uuid}`);
    }
    expect((await poolFiles()).filter((f) => f.includes('bad-image'))).toEqual([]);
  }, 180_000);

  it('a flavor larger than Xen’s free memory is a DriverError naming both figures, and nothing is defined', async () => {
    const uuid = randomUUID();
    const request = guestRequest(sampleInstanceSpec(uuid));
    request.instance = { ...request.instance, memoryMb: 64 * 1024 };
    const err = await driver.spawn(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect((err as Error).message).toMatch(/needs 65536 MiB but Xen .* has \d+ MiB free/);
    expect(await domainNames()).not.toContain(`${PREFIX}${uuid}`);
  }, 180_000);

  it('an unreachable host is ServiceUnavailable at init', async () => {
    const d = new XenDriver({ uri: 'xen+tcp://127.0.0.1:9/system', connectTimeoutMs: 3000 });
    await expect(d.init('nowhere')).rejects.toBeInstanceOf(ServiceUnavailable);
  }, 30_000);
});
