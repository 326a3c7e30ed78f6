import type { HostState } from '@nubo/core';
import { aggregateNumber } from '../aggregate-metadata.js';
import { pyInt } from '../python-semantics.js';
import { IoOpsFilter } from './io-ops-filter.js';

/** IoOpsFilter with the limit taken from aggregate metadata `max_io_ops_per_host` (the smallest), else the global one. */
export class AggregateIoOpsFilter extends IoOpsFilter {
  override readonly name = 'AggregateIoOpsFilter';
  protected override maxIoOps(host: HostState): number {
    return aggregateNumber(host, 'max_io_ops_per_host', this.maxIoOpsPerHost, pyInt);
  }
}
