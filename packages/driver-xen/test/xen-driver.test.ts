// XenDriver against a real Xen 4.17 (libvirt's libxl driver in a Debian dom0 under QEMU TCG),
// over xen+tcp with the shared libvirt RPC client. The host is booted once for this file
// (test/support/xen-host.ts) and stopped at its end; every guest is the image's real PV
// guest: Debian's kernel and a busybox initramfs that prints a known line on hvc0.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriverError, PowerState, ServiceUnavailable, type InstanceSpec, type SpawnRequest } from '@nubo/core';
import { bytesImageSource, describeDriverConformance, sampleImageBytes, sampleInstanceSpec } from '@nubo/core/testing';
import { connectListAllDomains, LibvirtConnection } from '@nubo/driver-libvirt';
import { XenDriver } from '../src/index.js';
import { ensureXenHost, GUEST_DIR, GUEST_LINE, inDom0, stopXenHost, XEN_URI } from './support/xen-host.js';

const PREFIX = 'nubo-test-';

beforeAll(async () => {
  const t = await ensureXenHost();
  console.log(`Xen host: ${t.reused ? 'already running' : `setup ${(t.buildMs / 1000).toFixed(1)} s, boot ${(t.bootMs / 1000).toFixed(1)} s`}`);
}, 1_200_000);
afterAll(() => stopXenHost(), 240_000);

async function newDriver(): Promise<XenDriver> {
  const driver = new XenDriver({ uri: XEN_URI, kernelDir: GUEST_DIR, domainPrefix: PREFIX, softRebootTimeoutSec: 2 });
  await driver.init('xen-test-host');
  return driver;
}

/** The image's PV test guest as Nova's AKI/ARI properties name it. */
function guestRequest(instance: InstanceSpec, properties: Record<string, string> = {}): SpawnRequest {
  const image = bytesImageSource(sampleImageBytes(1024), {
    id: 'xen-pv-test-guest',
    diskFormat: 'ami',
    containerFormat: 'ami',
    properties: { kernel_id: 'vmlinuz', ramdisk_id: 'initrd.img', os_command_line: 'console=hvc0 quiet', ...properties },
  });
  return { instance: { ...instance, memoryMb: 128 }, image, network: [], blockDevices: [] };
}

async function domainNames(): Promise<string[]> {
  const c = await LibvirtConnection.open(XEN_URI, { keepalive: false });
  try {
    return (await connectListAllDomains(c)).map((d) => d.name);
  } finally {
    await c.close();
  }
}

describe('XenDriver on a real Xen 4.17 host', () => {
  let driver: XenDriver;
  beforeAll(async () => {
    driver = await newDriver();
  }, 60_000);
  afterAll(() => driver?.close());

  it('a PV guest boots through Nubo and prints its known line on the console stream', async () => {
    const uuid = crypto.randomUUID();
    await driver.spawn(guestRequest(sampleInstanceSpec(uuid)));
    try {
      expect((await driver.getInfo(uuid)).state).toBe(PowerState.RUNNING);
      const output = await driver.readConsole(uuid, { until: GUEST_LINE, timeoutMs: 150_000 });
      expect(output).toMatch(GUEST_LINE);
      expect(await inDom0('xl list')).toContain(`${PREFIX}${uuid}`);
    } finally {
      await driver.destroy(uuid);
    }
    expect(await driver.listInstances()).not.toContain(uuid);
    expect(await domainNames()).not.toContain(`${PREFIX}${uuid}`);
    expect(await inDom0('xl list')).not.toContain(`${PREFIX}${uuid}`);
  }, 300_000);

  it('reports Xen’s own capacity with dom0’s memory left out', async () => {
    const r = await driver.getAvailableResources();
    expect(r.hypervisorType).toBe('Xen');
    expect(r.hypervisorVersion).toBeGreaterThanOrEqual(4_017_000);
    const totalMb = Number(/total_memory\s*:\s*(\d+)/.exec(await inDom0('xl info'))![1]);
    const dom0Mb = Number(/^Domain-0\s+0\s+(\d+)/m.exec(await inDom0('xl list'))![1]);
    expect(r.memoryMb).toBe(totalMb - dom0Mb);
    expect(r.localGb).toBeGreaterThan(0);
    expect(r.supportedInstances.some(([, type, mode]) => type === 'xen' && mode === 'xen')).toBe(true);
  }, 60_000);

  it('an image whose kernel is not in dom0 fails with DriverError and leaves no domain', async () => {
    const uuid = crypto.randomUUID();
    await expect(driver.spawn(guestRequest(sampleInstanceSpec(uuid), { kernel_id: 'no-such-kernel' }))).rejects.toBeInstanceOf(DriverError);
    expect(await domainNames()).not.toContain(`${PREFIX}${uuid}`);
  }, 120_000);

  it('an image without kernel_id is refused before anything is defined, not to be retried', async () => {
    const uuid = crypto.randomUUID();
    const request = guestRequest(sampleInstanceSpec(uuid));
    request.image = bytesImageSource(sampleImageBytes(1024), { id: 'whole-disk' });
    const err = await driver.spawn(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect((err as DriverError).retryable).toBe(false);
    expect(await domainNames()).not.toContain(`${PREFIX}${uuid}`);
  }, 60_000);

  it('a flavor larger than Xen’s free memory is a DriverError naming both figures, and nothing is defined', async () => {
    const uuid = crypto.randomUUID();
    const request = guestRequest(sampleInstanceSpec(uuid));
    request.instance = { ...request.instance, memoryMb: 64 * 1024 };
    const err = await driver.spawn(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect((err as Error).message).toMatch(/needs 65536 MiB but Xen .* has \d+ MiB free/);
    expect(await domainNames()).not.toContain(`${PREFIX}${uuid}`);
  }, 60_000);

  it('an unreachable host is ServiceUnavailable at init', async () => {
    const d = new XenDriver({ uri: 'xen+tcp://127.0.0.1:9/system', connectTimeoutMs: 3000 });
    await expect(d.init('nowhere')).rejects.toBeInstanceOf(ServiceUnavailable);
  }, 30_000);
});

describeDriverConformance('Xen 4.17 (libxl, PV, QEMU TCG)', {
  createDriver: newDriver,
  spawnRequest: (instance) => guestRequest(instance),
  failingSpawnRequest: (instance) => guestRequest(instance, { kernel_id: 'no-such-kernel' }),
  lifecycleEvents: true,
  timeouts: { testMs: 240_000, hookMs: 120_000, eventMs: 60_000 },
});
