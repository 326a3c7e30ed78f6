import type { HostState, HostWeigher } from '@nubo/core';
import { weightMultiplier } from './weight-multiplier.js';

/** Prefers hosts with more free disk (spreading); a negative multiplier stacks. Per-aggregate override: metadata `disk_weight_multiplier`. */
export class DiskWeigher implements HostWeigher {
  readonly name = 'DiskWeigher';
  readonly minval = 0;
  constructor(private readonly configured = 1.0) {}
  multiplier(host: HostState): number {
    return weightMultiplier(host, 'disk_weight_multiplier', this.configured);
  }
  weigh(host: HostState): number {
    return host.freeDiskMb;
  }
}
