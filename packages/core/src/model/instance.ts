import type { PowerState, TaskState, VmState } from './instance-state.js';

/** A server, as Nova's `instances` table holds it. */
export interface Instance {
  uuid: string;
  name: string;
  projectId: string;
  userId: string;
  flavorId: string;
  imageRef: string | null;
  keyName: string | null;
  /** The public key of `keyName` at create time, as Nova copies it into the instance. */
  keyData: string | null;
  userData: string | null;
  metadata: Record<string, string>;
  availabilityZone: string | null;
  host: string | null;
  node: string | null;
  vmState: VmState;
  taskState: TaskState | null;
  powerState: PowerState;
  memoryMb: number;
  vcpus: number;
  rootGb: number;
  ephemeralGb: number;
  swapMb: number;
  accessIpV4: string | null;
  /** Hosts already tried for this build: a reschedule never lands on them again. */
  retryHosts: string[];
  /** Set while a resize waits for confirm or revert: the flavor before the resize. */
  oldFlavorId: string | null;
  launchedAt: Date | null;
  terminatedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  deletedAt: Date | null;
}

/** What the hypervisor driver sees of an instance when it builds it. */
export interface InstanceSpec {
  uuid: string;
  name: string;
  projectId: string;
  memoryMb: number;
  vcpus: number;
  rootGb: number;
  ephemeralGb: number;
  swapMb: number;
  metadata: Record<string, string>;
  keyData: string | null;
  userData: string | null;
}
