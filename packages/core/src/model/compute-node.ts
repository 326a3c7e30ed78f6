/** A hypervisor host's resources, as the resource tracker reports them. */
export interface ComputeNode {
  host: string;
  hypervisorHostname: string;
  hypervisorType: string;
  hypervisorVersion: number;
  hostIp: string;
  vcpus: number;
  vcpusUsed: number;
  memoryMb: number;
  memoryMbUsed: number;
  localGb: number;
  localGbUsed: number;
  runningVms: number;
  cpuAllocationRatio: number;
  ramAllocationRatio: number;
  diskAllocationRatio: number;
  cpuInfo: string;
  updatedAt: Date;
}

/** What a driver reports about its host; the tracker adds usage from the instances. */
export interface HostResources {
  hypervisorHostname: string;
  hypervisorType: string;
  hypervisorVersion: number;
  hostIp: string;
  vcpus: number;
  memoryMb: number;
  localGb: number;
  cpuInfo: Record<string, unknown>;
  /** `[arch, hypervisor_type, vm_mode]` triples, Nova's `supported_instances`. */
  supportedInstances: [string, string, string][];
}
