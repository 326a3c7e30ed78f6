import type { HostState, HostWeigher } from '@nubo/core';
import { weightMultiplier } from './weight-multiplier.js';

/**
 * Pushes away hosts with recent build failures: the raw weight is the failure count and the
 * multiplier is the configured one negated. Per-aggregate override: `build_failure_weight_multiplier`.
 */
export class BuildFailureWeigher implements HostWeigher {
  readonly name = 'BuildFailureWeigher';
  constructor(private readonly configured = 1000000.0) {}
  multiplier(host: HostState): number {
    return -1 * weightMultiplier(host, 'build_failure_weight_multiplier', this.configured);
  }
  weigh(host: HostState): number {
    return host.failedBuilds;
  }
}
