import type { HostFilter } from '../../../ports/host-filter.js';
import type { HostState, RequestSpec } from '../../../ports/host-state.js';

/** Passes hosts with enough vCPUs, overcommitted by `cpu_allocation_ratio` (Nova's CoreFilter). */
export class CoreFilter implements HostFilter {
  readonly name = 'CoreFilter';
  hostPasses(host: HostState, spec: RequestSpec): boolean {
    if (!host.vcpusTotal) return true; // a host that reports no vCPUs is not limited by them
    return host.vcpusTotal * host.cpuAllocationRatio - host.vcpusUsed >= spec.flavor.vcpus;
  }
}
