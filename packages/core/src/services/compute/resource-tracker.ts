import type { ComputeNode } from '../../model/compute-node.js';
import { footprintOf, type InstanceSize } from '../../model/instance.js';
import type { HypervisorDriver } from '../../ports/hypervisor-driver.js';

export interface AllocationRatios {
  cpuAllocationRatio: number;
  ramAllocationRatio: number;
  diskAllocationRatio: number;
}

export interface ResourceTrackerOptions extends AllocationRatios {
  /** Memory kept for the host itself, never given to guests (Nova's reserved_host_memory_mb). */
  reservedHostMemoryMb: number;
  reservedHostDiskMb: number;
}

/**
 * Nova's resource tracker: capacity from the driver, usage counted from the instances
 * assigned to this host (building ones included, so a claim is never forgotten).
 */
export class ResourceTracker {
  constructor(private readonly host: string, private readonly driver: HypervisorDriver, private readonly options: ResourceTrackerOptions) {}

  async computeNode(instances: readonly InstanceSize[]): Promise<ComputeNode> {
    const r = await this.driver.getAvailableResources();
    const used = footprintOf(instances);
    const memoryMbUsed = this.options.reservedHostMemoryMb + used.memoryMb;
    const vcpusUsed = used.vcpus;
    const diskMbUsed = this.options.reservedHostDiskMb + used.diskMb;
    return {
      host: this.host,
      hypervisorHostname: r.hypervisorHostname,
      hypervisorType: r.hypervisorType,
      hypervisorVersion: r.hypervisorVersion,
      hostIp: r.hostIp,
      vcpus: r.vcpus,
      vcpusUsed,
      memoryMb: r.memoryMb,
      memoryMbUsed,
      localGb: r.localGb,
      localGbUsed: Math.ceil(diskMbUsed / 1024),
      runningVms: instances.length,
      cpuAllocationRatio: this.options.cpuAllocationRatio,
      ramAllocationRatio: this.options.ramAllocationRatio,
      diskAllocationRatio: this.options.diskAllocationRatio,
      cpuInfo: JSON.stringify({ ...r.cpuInfo, nubo_capabilities: this.driver.capabilities }),
      updatedAt: new Date(),
    };
  }
}
