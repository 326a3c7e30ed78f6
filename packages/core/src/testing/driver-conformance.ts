import { afterEach, beforeEach, describe } from 'vitest';
import { registerBasicChecks } from './driver-conformance/basic-checks.js';
import type { DriverConformanceOptions, ResolvedConformanceOptions } from './driver-conformance/driver-conformance-options.js';
import { DriverHarness } from './driver-conformance/driver-harness.js';
import { registerLifecycleEventChecks } from './driver-conformance/lifecycle-event-checks.js';
import { registerOptionalOperationChecks } from './driver-conformance/optional-operation-checks.js';
import { registerPowerChecks } from './driver-conformance/power-checks.js';
import { brokenImageSpawnRequest, sampleSpawnRequest } from './driver-conformance/sample-spawn-request.js';

export type { DriverConformanceOptions } from './driver-conformance/driver-conformance-options.js';
export { RecordingSnapshotTarget, type RecordedUpload } from './driver-conformance/recording-snapshot-target.js';
export { brokenImageSource, brokenImageSpawnRequest, bytesImageSource, sampleImageBytes, sampleInstanceSpec, sampleSpawnRequest } from './driver-conformance/sample-spawn-request.js';

/**
 * The behaviour every `HypervisorDriver` must show, as a vitest suite. Call it at the top
 * level of a test file of your driver package:
 *
 * ```ts
 * describeDriverConformance('libvirt', {
 *   createDriver: async () => { const d = new LibvirtDriver(opts); await d.init('host-1'); return d; },
 *   spawnRequest: (instance) => ({ instance, image: testGuestImage(), network: [], blockDevices: [] }),
 *   timeouts: { testMs: 300_000 },
 * });
 * ```
 *
 * Every test gets a fresh driver from `createDriver` and destroys the guests it spawned
 * afterwards. Optional operations are checked according to `driver.capabilities`: done
 * when declared, refused with `NotImplementedByDriver` when not.
 */
export function describeDriverConformance(name: string, options: DriverConformanceOptions): void {
  const o = resolve(options);
  describe(`${name} driver conformance`, () => {
    const harness = new DriverHarness(o);
    beforeEach(() => harness.setUp(), o.hookMs);
    afterEach(() => harness.tearDown(), o.hookMs);
    registerBasicChecks(harness, o);
    registerPowerChecks(harness, o);
    registerOptionalOperationChecks(harness, o);
    if (o.lifecycleEvents) registerLifecycleEventChecks(harness, o);
  });
}

function resolve(options: DriverConformanceOptions): ResolvedConformanceOptions {
  return {
    createDriver: () => options.createDriver(),
    disposeDriver: (driver) => (options.disposeDriver ? options.disposeDriver(driver) : driver.close()),
    spawnRequest: options.spawnRequest ?? sampleSpawnRequest,
    failingSpawnRequest: options.failingSpawnRequest === false ? null : (options.failingSpawnRequest ?? brokenImageSpawnRequest),
    resizedSpec: options.resizedSpec ?? ((spec) => ({ ...spec, memoryMb: spec.memoryMb * 2, vcpus: spec.vcpus + 1 })),
    testMs: options.timeouts?.testMs ?? 60_000,
    hookMs: options.timeouts?.hookMs ?? 60_000,
    eventMs: options.timeouts?.eventMs ?? 10_000,
    lifecycleEvents: options.lifecycleEvents ?? false,
  };
}
