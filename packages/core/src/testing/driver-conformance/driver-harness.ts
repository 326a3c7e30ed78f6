import { PowerState } from '../../model/instance-state.js';
import type { InstanceSpec } from '../../model/instance.js';
import type { HypervisorDriver } from '../../ports/hypervisor-driver.js';
import type { ResolvedConformanceOptions } from './driver-conformance-options.js';
import { sampleInstanceSpec } from './sample-spawn-request.js';

/** A spawned guest of a conformance test. */
export interface SpawnedGuest {
  uuid: string;
  spec: InstanceSpec;
}

/**
 * One test's driver and the guests it spawned; `tearDown` destroys them whatever the test
 * did, so a real hypervisor is left clean.
 */
export class DriverHarness {
  private current: HypervisorDriver | null = null;
  private spawned: string[] = [];

  constructor(private readonly options: ResolvedConformanceOptions) {}

  get driver(): HypervisorDriver {
    if (!this.current) throw new Error('The conformance harness has no driver: createDriver() did not run.');
    return this.current;
  }

  async setUp(): Promise<void> {
    this.current = await this.options.createDriver();
    this.spawned = [];
  }

  async tearDown(): Promise<void> {
    const driver = this.current;
    if (!driver) return;
    this.current = null;
    const errors: unknown[] = [];
    // Only what the hypervisor still knows, so a test's failure is not blamed on cleanup.
    const listed = new Set(await driver.listInstances().catch(() => this.spawned));
    for (const uuid of this.spawned.filter((u) => listed.has(u))) {
      await driver.destroy(uuid).catch((err: unknown) => errors.push(err));
    }
    await this.options.disposeDriver(driver);
    if (errors.length > 0) throw new AggregateError(errors, 'destroying the guests of a conformance test failed');
  }

  /** A fresh UUID, remembered for cleanup in case a spawn under it half-succeeds. */
  newUuid(): string {
    const uuid = crypto.randomUUID();
    this.spawned.push(uuid);
    return uuid;
  }

  /** Spawns a guest and checks it runs. */
  async spawn(): Promise<SpawnedGuest> {
    const uuid = this.newUuid();
    const request = await this.options.spawnRequest(sampleInstanceSpec(uuid));
    if (request.instance.uuid !== uuid) throw new Error(`spawnRequest() changed the instance UUID from ${uuid} to ${request.instance.uuid}`);
    await this.driver.spawn(request);
    return { uuid, spec: request.instance };
  }

  async state(uuid: string): Promise<PowerState> {
    return (await this.driver.getInfo(uuid)).state;
  }

  /** Spawns a guest and powers it off. */
  async spawnStopped(): Promise<SpawnedGuest> {
    const guest = await this.spawn();
    await this.driver.powerOff(guest.uuid);
    return guest;
  }
}
