import type { HostState } from '@nubo/core';
import { aggregateNumber } from '../aggregate-metadata.js';
import { pyFloat } from '../python-semantics.js';
import { CoreFilter } from './core-filter.js';

/** CoreFilter with the ratio from aggregate metadata `cpu_allocation_ratio` (the smallest) when set. */
export class AggregateCoreFilter extends CoreFilter {
  override readonly name = 'AggregateCoreFilter';
  protected override allocationRatio(host: HostState): number {
    return aggregateNumber(host, 'cpu_allocation_ratio', super.allocationRatio(host), pyFloat);
  }
}
