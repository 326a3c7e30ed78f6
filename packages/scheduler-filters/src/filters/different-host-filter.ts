import type { HostFilter, HostState, RequestSpec } from '@nubo/core';
import { hintList, schedulerHint } from '../request-spec-hints.js';

/** With the `different_host` hint (instance UUIDs), passes only hosts running none of those instances. */
export class DifferentHostFilter implements HostFilter {
  readonly name = 'DifferentHostFilter';
  readonly runFilterOncePerRequest = true;
  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const uuids = schedulerHint(spec, 'different_host');
    if (!uuids || uuids.length === 0) return true;
    return !hintList(uuids).some((u) => host.instances.has(u));
  }
}
