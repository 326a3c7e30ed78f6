// The driver conformance kit of @nubo/core against real libvirtd + QEMU (TCG): every guest is
// a boot-sector disk booted for real.
import { mkdtempSync, rmSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { afterAll, beforeAll } from 'vitest';
import { describeDriverConformance } from '@nubo/core/testing';
import { LibvirtDriver } from '../src/index.js';
import { bootSectorImage } from './support/boot-sector-image.js';
import { ensureLibvirtd, TEST_PREFIX } from './support/libvirtd.js';

let instancesPath = '';
beforeAll(async () => {
  await ensureLibvirtd();
  instancesPath = mkdtempSync('/var/tmp/nubo-libvirt-conformance-');
  await chmod(instancesPath, 0o755);
}, 900_000);
afterAll(() => {
  if (instancesPath) rmSync(instancesPath, { recursive: true, force: true });
});

describeDriverConformance('libvirt (QEMU TCG)', {
  async createDriver() {
    // The boot-sector guest ignores ACPI: a soft reboot waits 1 s, then falls back to a hard one, as Nova does.
    const driver = new LibvirtDriver({ instancesPath, domainPrefix: TEST_PREFIX, virtType: 'qemu', softRebootTimeoutSec: 1 });
    await driver.init('conformance-host');
    return driver;
  },
  spawnRequest: (instance) => ({
    instance: { ...instance, memoryMb: 64 },
    image: bootSectorImage('nubo conformance guest'),
    network: [],
    blockDevices: [],
  }),
  lifecycleEvents: true,
  timeouts: { testMs: 180_000, hookMs: 120_000, eventMs: 30_000 },
});
