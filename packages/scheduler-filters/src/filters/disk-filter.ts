import type { HostFilter, HostState, RequestSpec } from '@nubo/core';

/**
 * Passes hosts with room for the flavor's root + ephemeral disk and swap once the disk
 * allocation ratio is applied (Nova's pre-placement `DiskFilter`). A flavor larger than the
 * host's physical disk fails whatever the ratio.
 */
export class DiskFilter implements HostFilter {
  readonly name: string = 'DiskFilter';
  /** `ratio`, when set, replaces the host-reported `disk_allocation_ratio`. */
  constructor(protected readonly ratio: number | null = null) {}

  protected allocationRatio(host: HostState): number {
    return this.ratio ?? host.diskAllocationRatio;
  }

  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const f = spec.flavor;
    const requested = 1024 * (f.rootGb + f.ephemeralGb) + f.swapMb;
    const total = host.totalUsableDiskGb * 1024;
    if (total < requested) return false;
    const limit = total * this.allocationRatio(host);
    const used = total - host.freeDiskMb;
    return limit - used >= requested;
  }
}
