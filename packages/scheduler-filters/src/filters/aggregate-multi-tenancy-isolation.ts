import type { HostFilter, HostState, RequestSpec } from '@nubo/core';
import { aggregateMetadataByHost } from '../aggregate-metadata.js';

/**
 * A host in an aggregate with `filter_tenant_id` metadata (comma-separated project ids) takes
 * only those projects' instances; other hosts take every project's.
 */
export class AggregateMultiTenancyIsolation implements HostFilter {
  readonly name = 'AggregateMultiTenancyIsolation';
  readonly runFilterOncePerRequest = true;
  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const tenants = aggregateMetadataByHost(host, 'filter_tenant_id').get('filter_tenant_id');
    if (tenants && tenants.size > 0) return tenants.has(spec.projectId);
    return true;
  }
}
