import type { HostState } from '@nubo/core';
import { aggregateNumber } from '../aggregate-metadata.js';
import { pyInt } from '../python-semantics.js';
import { NumInstancesFilter } from './num-instances-filter.js';

/** NumInstancesFilter with the limit taken from aggregate metadata `max_instances_per_host` (the smallest), else the global one. */
export class AggregateNumInstancesFilter extends NumInstancesFilter {
  override readonly name = 'AggregateNumInstancesFilter';
  protected override maxInstances(host: HostState): number {
    return aggregateNumber(host, 'max_instances_per_host', this.maxInstancesPerHost, pyInt);
  }
}
