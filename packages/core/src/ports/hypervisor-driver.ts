import type { Observable } from 'rxjs';
import type { HostResources } from '../model/compute-node.js';
import type { Image } from '../model/image.js';
import type { InstanceSpec } from '../model/instance.js';
import type { PowerState } from '../model/instance-state.js';
import type { NetworkInfo } from '../model/network.js';

/**
 * What a driver can do, consulted by the API before it starts an operation (409/400 there,
 * never a failure deep inside a compute host). Nova's `ComputeDriver.capabilities`.
 */
export interface DriverCapabilities {
  supportsPause: boolean;
  supportsSuspend: boolean;
  supportsSnapshot: boolean;
  supportsResize: boolean;
  supportsRebuild: boolean;
  supportsSoftReboot: boolean;
  supportsVolumeAttach: boolean;
  supportsConsole: boolean;
}

/** A driver's view of one instance, Nova's `InstanceInfo`. */
export interface InstanceInfo {
  state: PowerState;
  memoryMb: number;
  vcpus: number;
  cpuTimeNs: number;
}

/** The image a spawn builds from: its metadata and a way to read its bytes (read once, then cache). */
export interface ImageSource {
  meta: Image;
  open(): AsyncIterable<Uint8Array>;
}

export interface BlockDevice {
  volumeId: string;
  /** e.g. a file path or an iSCSI target, whatever the volume service hands out. */
  connection: Record<string, unknown>;
  device: string | null;
}

export interface SpawnRequest {
  instance: InstanceSpec;
  /** null when booting from a volume. */
  image: ImageSource | null;
  network: NetworkInfo[];
  blockDevices: BlockDevice[];
}

/** Where a snapshot's bytes go: the image service's upload for a queued image. */
export interface SnapshotTarget {
  imageId: string;
  upload(data: AsyncIterable<Uint8Array>, format: { diskFormat: string; containerFormat: string }): Promise<void>;
}

export type LifecycleTransition = 'started' | 'stopped' | 'paused' | 'resumed' | 'suspended';

/** A change of a guest's state the hypervisor noticed on its own (guest shut itself down, …). */
export interface LifecycleEvent {
  instanceUuid: string;
  transition: LifecycleTransition;
  at: Date;
}

export type RebootType = 'SOFT' | 'HARD';

export interface ConsoleEndpoint {
  kind: 'vnc' | 'spice' | 'serial';
  host: string;
  port: number;
}

/**
 * The hypervisor behind one compute host: Nova's `ComputeDriver` (nova/virt/driver.py).
 *
 * Contract, checked by the conformance kit in `@nubo/core/testing`:
 * - Instances are named by UUID. Operations on an unknown UUID throw `NotFound`, except
 *   `destroy`, which is idempotent (destroying a missing instance succeeds).
 * - `spawn` resolves once the guest runs (power state RUNNING); on failure it throws
 *   `DriverError` and leaves nothing behind (the conductor then reschedules elsewhere).
 * - Power operations leave the power state the method names (powerOff → SHUTDOWN,
 *   pause → PAUSED, suspend → SUSPENDED, powerOn/unpause/resume/reboot → RUNNING) and are
 *   refused with `Conflict` from a state they cannot start from.
 * - An operation the driver does not support (see `capabilities`) throws `NotImplementedByDriver`.
 * - `getAvailableResources` reports the host's total capacity; usage is counted by the
 *   resource tracker from the instances, not by the driver.
 */
export interface HypervisorDriver {
  /** Nova's hypervisor_type, e.g. 'fake', 'QEMU', 'VMware vCenter Server'. */
  readonly type: string;
  readonly capabilities: DriverCapabilities;
  /** Guest state changes noticed by the hypervisor, for power-state sync. */
  readonly lifecycleEvents: Observable<LifecycleEvent>;

  /** Connects to the hypervisor; called once before any other method. */
  init(host: string): Promise<void>;
  close(): Promise<void>;

  spawn(request: SpawnRequest, signal?: AbortSignal): Promise<void>;
  destroy(instanceUuid: string, options?: { destroyDisks?: boolean }): Promise<void>;
  reboot(instanceUuid: string, type: RebootType): Promise<void>;
  powerOff(instanceUuid: string, options?: { timeoutSec?: number }): Promise<void>;
  powerOn(instanceUuid: string): Promise<void>;
  pause(instanceUuid: string): Promise<void>;
  unpause(instanceUuid: string): Promise<void>;
  suspend(instanceUuid: string): Promise<void>;
  resume(instanceUuid: string): Promise<void>;
  snapshot(instanceUuid: string, target: SnapshotTarget): Promise<void>;

  /** Resize hooks: apply the new flavor (guest may be powered off), then confirm or revert. */
  resize(instanceUuid: string, newSpec: InstanceSpec): Promise<void>;
  confirmResize(instanceUuid: string): Promise<void>;
  revertResize(instanceUuid: string, oldSpec: InstanceSpec): Promise<void>;

  getInfo(instanceUuid: string): Promise<InstanceInfo>;
  /** UUIDs of every instance this host's hypervisor knows. */
  listInstances(): Promise<string[]>;
  getAvailableResources(): Promise<HostResources>;
  getConsole?(instanceUuid: string, kind: ConsoleEndpoint['kind']): Promise<ConsoleEndpoint>;
  attachVolume?(instanceUuid: string, device: BlockDevice): Promise<void>;
  detachVolume?(instanceUuid: string, volumeId: string): Promise<void>;
}
