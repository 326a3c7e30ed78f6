import type { HostFilter } from '../../../ports/host-filter.js';
import type { HostState, RequestSpec } from '../../../ports/host-state.js';

/** Passes hosts with room for root + ephemeral + swap, overcommitted by `disk_allocation_ratio`. */
export class DiskFilter implements HostFilter {
  readonly name = 'DiskFilter';
  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const f = spec.flavor;
    const requestedMb = 1024 * (f.rootGb + f.ephemeralGb) + f.swapMb;
    const limitMb = host.totalUsableDiskGb * 1024 * host.diskAllocationRatio;
    const usedMb = host.totalUsableDiskGb * 1024 - host.freeDiskMb;
    return limitMb - usedMb >= requestedMb;
  }
}
