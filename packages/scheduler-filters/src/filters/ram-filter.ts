import type { HostFilter, HostState, RequestSpec } from '@nubo/core';

/**
 * Passes hosts with room for the flavor's RAM once the RAM allocation ratio is applied
 * (Nova's pre-placement `RamFilter`). An instance never overcommits against itself: a flavor
 * larger than the host's physical RAM fails whatever the ratio.
 */
export class RamFilter implements HostFilter {
  readonly name: string = 'RamFilter';
  /** `ratio`, when set, replaces the host-reported `ram_allocation_ratio`. */
  constructor(protected readonly ratio: number | null = null) {}

  protected allocationRatio(host: HostState): number {
    return this.ratio ?? host.ramAllocationRatio;
  }

  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const requested = spec.flavor.memoryMb;
    const total = host.totalUsableRamMb;
    if (!(total >= requested)) return false;
    const limit = total * this.allocationRatio(host);
    const used = total - host.freeRamMb;
    return limit - used >= requested;
  }
}
