import type { DriverCapabilities } from '../../ports/hypervisor-driver.js';

/** Every operation of the fake that can be delayed or made to fail. */
export type FakeOperation =
  | 'spawn' | 'destroy' | 'reboot' | 'powerOff' | 'powerOn' | 'pause' | 'unpause'
  | 'suspend' | 'resume' | 'snapshot' | 'resize' | 'confirmResize' | 'revertResize'
  | 'attachVolume' | 'detachVolume';

/** The physical size of the fake host, as `getAvailableResources` reports it. */
export interface FakeHostCapacity {
  vcpus: number;
  memoryMb: number;
  localGb: number;
}

/** Options of one `FakeDriver` (one per compute host). Everything has a default. */
export interface FakeDriverOptions {
  /** Host capacity. Defaults to Nova's fake driver: 1000 vCPUs, 800000 MB, 600000 GB. */
  capacity?: Partial<FakeHostCapacity>;
  /** Reported hypervisor hostname; defaults to the host given to `init`. */
  hypervisorHostname?: string;
  /** Reported hypervisor version, Nova-style integer (1000 = 1.0.0). Defaults to 1000. */
  hypervisorVersion?: number;
  /** Reported host IP. Defaults to 127.0.0.1. */
  hostIp?: string;
  /** Capabilities to declare; unset ones are `true`. Turning one off makes its operations throw `NotImplementedByDriver`. */
  capabilities?: Partial<DriverCapabilities>;
  /**
   * Refuse a spawn (or resize) that would exceed the physical capacity with a retryable
   * `DriverError`, like a host that runs out of memory. Off by default: the scheduler's
   * allocation ratios decide overcommit, not the fake.
   */
  enforceCapacity?: boolean;
  /** Milliseconds each operation takes, to simulate slow hypervisors; spawn's wait honours its AbortSignal. */
  delaysMs?: Partial<Record<FakeOperation, number>>;
  /** Clock for event timestamps and CPU time; defaults to `Date.now`. */
  now?: () => number;
}

export const DEFAULT_FAKE_CAPACITY: FakeHostCapacity = { vcpus: 1000, memoryMb: 800_000, localGb: 600_000 };

export const ALL_CAPABILITIES: DriverCapabilities = {
  supportsPause: true,
  supportsSuspend: true,
  supportsSnapshot: true,
  supportsResize: true,
  supportsRebuild: true,
  supportsSoftReboot: true,
  supportsVolumeAttach: true,
  supportsConsole: true,
};
