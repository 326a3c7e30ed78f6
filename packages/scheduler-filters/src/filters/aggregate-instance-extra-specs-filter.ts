import type { HostFilter, HostState, RequestSpec } from '@nubo/core';
import { aggregateMetadataByHost } from '../aggregate-metadata.js';
import { matchExtraSpec } from '../extra-specs-ops.js';

const SCOPE = 'aggregate_instance_extra_specs';

/**
 * Passes hosts whose aggregates' metadata satisfy the flavor's unscoped and
 * `aggregate_instance_extra_specs:*` extra specs; a key absent from the aggregates fails.
 */
export class AggregateInstanceExtraSpecsFilter implements HostFilter {
  readonly name = 'AggregateInstanceExtraSpecsFilter';
  readonly runFilterOncePerRequest = true;
  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const specs = Object.entries(spec.flavor.extraSpecs ?? {});
    if (specs.length === 0) return true;
    const metadata = aggregateMetadataByHost(host);
    for (const [fullKey, req] of specs) {
      const colon = fullKey.indexOf(':');
      let key = fullKey;
      if (colon >= 0) {
        if (fullKey.slice(0, colon) !== SCOPE) continue;
        key = fullKey.slice(colon + 1);
      }
      const values = metadata.get(key);
      if (!values || values.size === 0) return false;
      if (![...values].some((v) => matchExtraSpec(v, req))) return false;
    }
    return true;
  }
}
