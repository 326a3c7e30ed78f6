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
  /** The cell this node belongs to, read by CrossCellWeigher. */
  cellUuid?: string;
  /** Free PCI devices grouped in pools, Nova's `pci_stats`; read by PciPassthroughFilter and PCIWeigher. */
  pciStats?: PciDevicePool[];
  /** The node's NUMA cells with their usage, read by NUMATopologyFilter. */
  numaTopology?: HostNumaTopology;
}

/** A pool of identical free PCI devices on one host (Nova's `PciDevicePool`). */
export interface PciDevicePool {
  count: number;
  vendorId: string;
  productId: string;
  /** NUMA cell the devices hang off, when known. */
  numaNode?: number | null;
  /** Other matchable tags (`dev_type`, `physical_network`, …). */
  tags?: Record<string, string>;
}

/** One host NUMA cell and what is already used on it. */
export interface HostNumaCell {
  id: number;
  /** Host CPUs of the cell usable by unpinned (shared) guests. */
  cpuset: number[];
  /** Host CPUs of the cell usable by pinned (dedicated) guests. */
  pcpuset: number[];
  memoryMb: number;
  /** vCPUs of shared guests placed on the cell. */
  cpuUsage: number;
  memoryUsageMb: number;
  /** Host CPUs already pinned to guests. */
  pinnedCpus: number[];
  /** Hyperthread sibling sets; empty when the host has no SMT. */
  siblings: number[][];
}

export interface HostNumaTopology {
  cells: HostNumaCell[];
}

/** A request for `count` PCI devices matching any of `spec` (Nova's `InstancePCIRequest`). */
export interface PciRequest {
  count: number;
  /** Each entry is a set of properties (`vendor_id`, `product_id`, tags) a device must all match. */
  spec: Record<string, string>[];
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
  /** PCI devices the instance needs (from flavor aliases or SR-IOV ports). */
  pciRequests?: PciRequest[];
  /** Set for moves: the preferred destination cell, read by CrossCellWeigher. */
  requestedDestination?: { cellUuid?: string; allowCrossCellMove?: boolean };
}
