import type { HostState, RequestSpec } from '@nubo/core';
import { consumeNuma, instanceNumaRequest } from './numa-fit.js';
import { consumePci } from './pci-pools.js';

/**
 * What placing the request takes from a host, as Nova's `HostState.consume_from_request`:
 * RAM, root + ephemeral disk (not swap), vCPUs, one instance and one I/O operation, the PCI
 * devices requested, and the NUMA cells' memory, shared vCPUs and pinned CPUs. Returns a new host state; the input is left untouched. The
 * instance's UUID is added to the host's instances, so affinity filters see the claim too.
 */
export function consumeFromRequest(host: HostState, spec: RequestSpec): HostState {
  const f = spec.flavor;
  const next: HostState = {
    ...host,
    freeRamMb: host.freeRamMb - f.memoryMb,
    freeDiskMb: host.freeDiskMb - (f.rootGb + f.ephemeralGb) * 1024,
    vcpusUsed: host.vcpusUsed + f.vcpus,
    numInstances: host.numInstances + 1,
    numIoOps: host.numIoOps + 1,
    instances: new Set(host.instances).add(spec.instanceUuid),
  };
  const numa = host.numaTopology ? instanceNumaRequest(spec) : null;
  if (numa && host.numaTopology) next.numaTopology = consumeNuma(host.numaTopology, numa, host.cpuAllocationRatio, host.ramAllocationRatio);
  if (spec.pciRequests?.length && host.pciStats?.length) {
    const counts = consumePci(host.pciStats, spec.pciRequests);
    if (counts) next.pciStats = host.pciStats.map((p, i) => ({ ...p, count: counts[i]! }));
  }
  return next;
}

/** Undoes {@link consumeFromRequest} (a build that failed or was rescheduled elsewhere). */
export function releaseRequest(host: HostState, spec: RequestSpec): HostState {
  const f = spec.flavor;
  const instances = new Set(host.instances);
  instances.delete(spec.instanceUuid);
  return {
    ...host,
    freeRamMb: host.freeRamMb + f.memoryMb,
    freeDiskMb: host.freeDiskMb + (f.rootGb + f.ephemeralGb) * 1024,
    vcpusUsed: host.vcpusUsed - f.vcpus,
    numInstances: host.numInstances - 1,
    numIoOps: Math.max(0, host.numIoOps - 1),
    instances,
  };
}
