import type { HostFilter, HostState, RequestSpec } from '@nubo/core';

/**
 * Passes hosts with enough free vCPUs for the flavor once the CPU allocation ratio is applied
 * (Nova's pre-placement `CoreFilter`). A flavor with more vCPUs than the host has physical
 * CPUs fails; a host reporting no vCPUs passes (fail safe, as Nova).
 */
export class CoreFilter implements HostFilter {
  readonly name: string = 'CoreFilter';
  /** `ratio`, when set, replaces the host-reported `cpu_allocation_ratio`. */
  constructor(protected readonly ratio: number | null = null) {}

  protected allocationRatio(host: HostState): number {
    return this.ratio ?? host.cpuAllocationRatio;
  }

  hostPasses(host: HostState, spec: RequestSpec): boolean {
    if (!host.vcpusTotal) return true;
    const wanted = spec.flavor.vcpus;
    const limit = host.vcpusTotal * this.allocationRatio(host);
    if (limit > 0 && wanted > host.vcpusTotal) return false;
    return !(limit - host.vcpusUsed < wanted);
  }
}
