import type { HostFilter, HostState, RequestSpec } from '@nubo/core';
import { aggregateMetadataByHost } from '../aggregate-metadata.js';

/**
 * A host whose aggregates carry metadata keys that are also image properties passes only images
 * whose property value is among the aggregate's values. Keys may be restricted to a namespace
 * (`namespace` + `separator` prefix).
 */
export class AggregateImagePropertiesIsolation implements HostFilter {
  readonly name = 'AggregateImagePropertiesIsolation';
  readonly runFilterOncePerRequest = true;
  readonly runOnRebuild = true;
  constructor(
    private readonly namespace: string | null = null,
    private readonly separator = '.',
  ) {}

  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const props = spec.image?.properties ?? {};
    for (const [key, options] of aggregateMetadataByHost(host)) {
      if (this.namespace && !key.startsWith(this.namespace + this.separator)) continue;
      const prop = Object.prototype.hasOwnProperty.call(props, key) ? props[key] : undefined;
      if (prop && !options.has(String(prop))) return false;
    }
    return true;
  }
}
