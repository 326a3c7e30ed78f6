import type { InstanceSpec } from '../../model/instance.js';
import type { PowerState } from '../../model/instance-state.js';
import type { NetworkInfo } from '../../model/network.js';
import type { BlockDevice } from '../../ports/hypervisor-driver.js';

/** One guest the fake hypervisor holds in memory. */
export interface FakeGuest {
  spec: InstanceSpec;
  state: PowerState;
  imageId: string | null;
  /** How many bytes the image the guest was built from holds, read by this host's first spawn of it. */
  imageBytesRead: number;
  network: NetworkInfo[];
  blockDevices: BlockDevice[];
  /** The spec before a resize that waits for confirm or revert. */
  resizedFrom: InstanceSpec | null;
  /** CPU time accumulated while running, and since when it is running (or null). */
  cpuTimeNs: number;
  runningSince: number | null;
  consolePort: number;
}

/** The resources a guest of this spec occupies on a host; disk counts root, ephemeral and swap. */
export interface GuestFootprint {
  vcpus: number;
  memoryMb: number;
  localGb: number;
}

export function guestFootprint(spec: InstanceSpec): GuestFootprint {
  return {
    vcpus: spec.vcpus,
    memoryMb: spec.memoryMb,
    localGb: spec.rootGb + spec.ephemeralGb + Math.ceil(spec.swapMb / 1024),
  };
}
