import type { HostFilter, HostState, RequestSpec } from '@nubo/core';
import { aggregateValuesFromKey } from '../aggregate-metadata.js';

/**
 * A host in aggregates with `instance_type` metadata (comma-separated flavor names) takes only
 * those flavors; other hosts take any flavor.
 */
export class AggregateTypeAffinityFilter implements HostFilter {
  readonly name = 'AggregateTypeAffinityFilter';
  readonly runFilterOncePerRequest = true;
  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const values = aggregateValuesFromKey(host, 'instance_type');
    for (const v of values) {
      if (v.split(',').some((x) => x.trim() === spec.flavor.name)) return true;
    }
    return values.size === 0;
  }
}
