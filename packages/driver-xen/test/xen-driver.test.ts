// The real-Xen test project (vitest project `xen-host`): one Xen 4.17 host (libvirt's libxl
// driver in a Debian dom0 under QEMU TCG, test/support/xen-host.ts) is booted once for all the
// suites below and stopped at the end; they talk to it over xen+tcp with the shared libvirt
// RPC client. The suites live in test/host/*.suite.ts so that only this file boots a host.
import { afterAll, beforeAll } from 'vitest';
import { describeDriverConformance } from '@nubo/core/testing';
import { ensureXenHost, stopXenHost } from './support/xen-host.js';
import { guestRequest, newDriver } from './support/xen-guest.js';
import './host/driver.suite.js';
import './host/openstack-cli.suite.js';
import './host/nubo-compute.suite.js';

beforeAll(async () => {
  const t = await ensureXenHost();
  console.log(`Xen host: ${t.reused ? 'already running' : `setup ${(t.buildMs / 1000).toFixed(1)} s, boot ${(t.bootMs / 1000).toFixed(1)} s`}`);
}, 1_200_000);
afterAll(() => stopXenHost(), 240_000);

describeDriverConformance('Xen 4.17 (libxl, PV, QEMU TCG)', {
  createDriver: newDriver,
  spawnRequest: (instance) => guestRequest(instance),
  failingSpawnRequest: (instance) => guestRequest(instance, { kernel_id: 'no-such-kernel' }),
  lifecycleEvents: true,
  timeouts: { testMs: 600_000, hookMs: 300_000, eventMs: 180_000 },
});
