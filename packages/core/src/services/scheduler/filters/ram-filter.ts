import type { HostFilter } from '../../../ports/host-filter.js';
import type { HostState, RequestSpec } from '../../../ports/host-state.js';

/** Passes hosts with enough RAM, overcommitted by `ram_allocation_ratio` (Nova's RamFilter). */
export class RamFilter implements HostFilter {
  readonly name = 'RamFilter';
  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const limit = host.totalUsableRamMb * host.ramAllocationRatio;
    const used = host.totalUsableRamMb - host.freeRamMb;
    return limit - used >= spec.flavor.memoryMb;
  }
}
