import type { HostState } from '@nubo/core';
import { aggregateNumber } from '../aggregate-metadata.js';
import { pyFloat } from '../python-semantics.js';

/**
 * A weigher's multiplier for one host: the smallest value of aggregate metadata `key`
 * (e.g. `ram_weight_multiplier`) on the host's aggregates, else the configured one.
 */
export function weightMultiplier(host: HostState, key: string, configured: number): number {
  if (host.aggregates.length === 0) return configured;
  return aggregateNumber(host, key, configured, pyFloat);
}
