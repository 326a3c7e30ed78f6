import type { HostState, HostWeigher } from '@nubo/core';
import { weightMultiplier } from './weight-multiplier.js';

/** Prefers hosts with more free RAM (spreading); a negative multiplier stacks. Per-aggregate override: metadata `ram_weight_multiplier`. */
export class RAMWeigher implements HostWeigher {
  readonly name = 'RAMWeigher';
  readonly minval = 0;
  constructor(private readonly configured = 1.0) {}
  multiplier(host: HostState): number {
    return weightMultiplier(host, 'ram_weight_multiplier', this.configured);
  }
  weigh(host: HostState): number {
    return host.freeRamMb;
  }
}
