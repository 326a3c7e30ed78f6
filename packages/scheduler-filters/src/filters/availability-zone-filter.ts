import type { HostFilter, HostState, RequestSpec } from '@nubo/core';
import { aggregateMetadataByHost } from '../aggregate-metadata.js';

/**
 * Passes hosts in the requested availability zone: the `availability_zone` metadata of the
 * host's aggregates, or the default zone for a host in no zone aggregate.
 */
export class AvailabilityZoneFilter implements HostFilter {
  readonly name = 'AvailabilityZoneFilter';
  readonly runFilterOncePerRequest = true;
  constructor(private readonly defaultAvailabilityZone = 'nova') {}

  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const az = spec.availabilityZone;
    if (!az) return true;
    const zones = aggregateMetadataByHost(host, 'availability_zone').get('availability_zone');
    return zones ? zones.has(az) : az === this.defaultAvailabilityZone;
  }
}
