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
/** What a host's resource tracker counts of an instance. */
export type InstanceSize = Pick<Instance, 'uuid' | 'memoryMb' | 'vcpus' | 'rootGb' | 'ephemeralGb' | 'swapMb'>;

/** What instances occupy of a host together, as the resource tracker counts it: disk is root, ephemeral and swap. */
export function footprintOf(instances: readonly Omit<InstanceSize, 'uuid'>[]): { memoryMb: number; vcpus: number; diskMb: number } {
  let memoryMb = 0;
  let vcpus = 0;
  let diskMb = 0;
  for (const i of instances) {
    memoryMb += i.memoryMb;
    vcpus += i.vcpus;
    diskMb += 1024 * (i.rootGb + i.ephemeralGb) + i.swapMb;
  }
  return { memoryMb, vcpus, diskMb };
}

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

const INSTANCE_DATE_FIELDS = ['launchedAt', 'terminatedAt', 'createdAt', 'updatedAt', 'deletedAt'] as const;

/** Restores the Date fields of an instance that crossed the wire as JSON. */
export function reviveInstance(raw: Instance): Instance {
  return reviveInstancePatch(raw) as Instance;
}

/** Restores the Date fields present in a partial instance (an update) that crossed the wire. */
export function reviveInstancePatch(raw: Partial<Instance>): Partial<Instance> {
  const out = { ...raw };
  for (const f of INSTANCE_DATE_FIELDS) {
    if (!(f in raw)) continue;
    const v = raw[f] as unknown;
    (out as Record<string, unknown>)[f] = v == null ? null : new Date(v as string);
  }
  return out;
}

/** The part of an instance a hypervisor driver needs to build it. */
export function instanceSpecOf(i: Instance): InstanceSpec {
  return {
    uuid: i.uuid, name: i.name, projectId: i.projectId, memoryMb: i.memoryMb, vcpus: i.vcpus,
    rootGb: i.rootGb, ephemeralGb: i.ephemeralGb, swapMb: i.swapMb, metadata: i.metadata,
    keyData: i.keyData, userData: i.userData,
  };
}
