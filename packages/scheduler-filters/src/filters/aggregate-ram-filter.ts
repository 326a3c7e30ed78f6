import type { HostState } from '@nubo/core';
import { aggregateNumber } from '../aggregate-metadata.js';
import { pyFloat } from '../python-semantics.js';
import { RamFilter } from './ram-filter.js';

/** RamFilter with the ratio from aggregate metadata `ram_allocation_ratio` (the smallest) when set. */
export class AggregateRamFilter extends RamFilter {
  override readonly name = 'AggregateRamFilter';
  protected override allocationRatio(host: HostState): number {
    return aggregateNumber(host, 'ram_allocation_ratio', super.allocationRatio(host), pyFloat);
  }
}
