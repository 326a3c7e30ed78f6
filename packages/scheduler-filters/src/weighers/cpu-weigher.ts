import type { HostState, HostWeigher } from '@nubo/core';
import { weightMultiplier } from './weight-multiplier.js';

/** Prefers hosts with more free vCPUs after the allocation ratio (spreading). Per-aggregate override: metadata `cpu_weight_multiplier`. */
export class CPUWeigher implements HostWeigher {
  readonly name = 'CPUWeigher';
  readonly minval = 0;
  constructor(private readonly configured = 1.0) {}
  multiplier(host: HostState): number {
    return weightMultiplier(host, 'cpu_weight_multiplier', this.configured);
  }
  weigh(host: HostState): number {
    return host.vcpusTotal * host.cpuAllocationRatio - host.vcpusUsed;
  }
}
