import type { HostState } from '@nubo/core';
import { aggregateNumber } from '../aggregate-metadata.js';
import { pyFloat } from '../python-semantics.js';
import { DiskFilter } from './disk-filter.js';

/** DiskFilter with the ratio from aggregate metadata `disk_allocation_ratio` (the smallest) when set. */
export class AggregateDiskFilter extends DiskFilter {
  override readonly name = 'AggregateDiskFilter';
  protected override allocationRatio(host: HostState): number {
    return aggregateNumber(host, 'disk_allocation_ratio', super.allocationRatio(host), pyFloat);
  }
}
