import type { HostState, HostWeigher } from '@nubo/core';
import { weightMultiplier } from './weight-multiplier.js';

/** Weighs hosts by concurrent I/O operations; the default multiplier (-1) prefers idle hosts. Per-aggregate override: metadata `io_ops_weight_multiplier`. */
export class IoOpsWeigher implements HostWeigher {
  readonly name = 'IoOpsWeigher';
  readonly minval = 0;
  constructor(private readonly configured = -1.0) {}
  multiplier(host: HostState): number {
    return weightMultiplier(host, 'io_ops_weight_multiplier', this.configured);
  }
  weigh(host: HostState): number {
    return host.numIoOps;
  }
}
