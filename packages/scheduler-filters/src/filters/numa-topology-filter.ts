import type { HostFilter, HostState, RequestSpec } from '@nubo/core';
import { instanceNumaRequest, numaFits } from '../numa-fit.js';

/**
 * Passes hosts whose NUMA cells can hold the guest NUMA cells the request asks for (CPUs and
 * memory per cell, with the host's allocation ratios; pinned CPUs for `hw:cpu_policy=dedicated`).
 * A `require` thread policy needs a host with hyperthreads. Requests without NUMA needs pass
 * everywhere; requests with them fail on hosts reporting no NUMA topology.
 */
export class NUMATopologyFilter implements HostFilter {
  readonly name = 'NUMATopologyFilter';
  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const req = instanceNumaRequest(spec);
    const topology = host.numaTopology;
    if (topology && req?.dedicated && req.threadPolicy === 'require') {
      if (!topology.cells.some((c) => c.siblings.length > 0)) return false;
    }
    if (!req) return true;
    if (!topology) return false;
    return numaFits(topology, req, host.cpuAllocationRatio, host.ramAllocationRatio);
  }
}
