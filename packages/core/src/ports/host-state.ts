/** An aggregate: a named group of hosts with metadata (availability_zone, …). */
export interface Aggregate {
  id: number;
  name: string;
  metadata: Record<string, string>;
  hosts: string[];
}

/**
 * The scheduler's view of one compute node, Nova's `HostState`: capacity from the compute
 * node's reports, minus what the scheduler itself has claimed since.
 */
export interface HostState {
  host: string;
  node: string;
  totalUsableRamMb: number;
  freeRamMb: number;
  totalUsableDiskGb: number;
  freeDiskMb: number;
  diskMbUsed: number;
  vcpusTotal: number;
  vcpusUsed: number;
  cpuAllocationRatio: number;
  ramAllocationRatio: number;
  diskAllocationRatio: number;
  numInstances: number;
  numIoOps: number;
  failedBuilds: number;
  hostIp: string;
  hypervisorType: string;
  hypervisorVersion: number;
  supportedInstances: [string, string, string][];
  /** Free-form stats reported by the node (cpu_vendor, …), read by ComputeCapabilitiesFilter. */
  stats: Record<string, string>;
  serviceDisabled: boolean;
  /** False when the service has not reported within service_down_time. */
  serviceUp: boolean;
  aggregates: Aggregate[];
  /** UUIDs of the instances on this host. */
  instances: Set<string>;
  metrics: Record<string, number>;
  updatedAt: Date;
}

export interface RequestFlavor {
  id?: string;
  name?: string;
  memoryMb: number;
  rootGb: number;
  ephemeralGb: number;
  swapMb: number;
  vcpus: number;
  extraSpecs: Record<string, string>;
}

export interface InstanceGroupSpec {
  policy: 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';
  hosts: string[];
  members: string[];
  rules?: { max_server_per_host?: number };
}

/** What is being placed: Nova's RequestSpec. */
export interface RequestSpec {
  instanceUuid: string;
  projectId: string;
  userId: string;
  flavor: RequestFlavor;
  image: { id: string | null; properties: Record<string, string> };
  availabilityZone: string | null;
  /** Nova keeps every hint as a list; a scalar hint is a one-element list. */
  schedulerHints: Record<string, string[]>;
  instanceGroup: InstanceGroupSpec | null;
  /** Hosts already tried (reschedule): never chosen again. */
  ignoreHosts: string[];
  numInstances: number;
}
