import type { InstanceSpec } from '../../model/instance.js';
import type { HypervisorDriver, SpawnRequest } from '../../ports/hypervisor-driver.js';

/** How `describeDriverConformance` runs against one driver. */
export interface DriverConformanceOptions {
  /** A fresh driver, already `init`ed for its host. Called before every test. */
  createDriver(): Promise<HypervisorDriver>;
  /** Releases a driver after a test, once the kit destroyed the guests it spawned. Defaults to `driver.close()`. */
  disposeDriver?(driver: HypervisorDriver): Promise<void>;
  /**
   * The request to spawn `instance` with: an image this hypervisor boots, networks, volumes.
   * It may change the instance's sizes, but must keep its UUID. Defaults to `sampleSpawnRequest`
   * (a small raw image, fine for the fake driver).
   */
  spawnRequest?(instance: InstanceSpec): SpawnRequest | Promise<SpawnRequest>;
  /**
   * A request this driver must fail to spawn, with `DriverError` and nothing left behind.
   * Defaults to the spawn request with an image whose stream breaks after its first chunk
   * (a download cut short); `false` skips the check for a driver that never reads images.
   */
  failingSpawnRequest?: ((instance: InstanceSpec) => SpawnRequest | Promise<SpawnRequest>) | false;
  /** The larger flavor the resize check moves a guest to. Defaults to twice the memory and one more vCPU. */
  resizedSpec?(current: InstanceSpec): InstanceSpec;
  /** Milliseconds; real hypervisors (QEMU without KVM) need generous ones. */
  timeouts?: {
    /** Per test. Defaults to 60 000. */
    testMs?: number;
    /** Per setup/teardown hook. Defaults to 60 000. */
    hookMs?: number;
    /** How long to wait for a lifecycle event. Defaults to 10 000. */
    eventMs?: number;
  };
  /**
   * Also check that `lifecycleEvents` reports the power changes the driver makes (spawn →
   * started, power off → stopped, power on → started, pause → paused, unpause → resumed).
   * Off by default: not every hypervisor reports changes it was asked for.
   */
  lifecycleEvents?: boolean;
}

/** The options with their defaults filled in. */
export interface ResolvedConformanceOptions {
  createDriver(): Promise<HypervisorDriver>;
  disposeDriver(driver: HypervisorDriver): Promise<void>;
  spawnRequest(instance: InstanceSpec): SpawnRequest | Promise<SpawnRequest>;
  failingSpawnRequest: ((instance: InstanceSpec) => SpawnRequest | Promise<SpawnRequest>) | null;
  resizedSpec(current: InstanceSpec): InstanceSpec;
  testMs: number;
  hookMs: number;
  eventMs: number;
  lifecycleEvents: boolean;
}
