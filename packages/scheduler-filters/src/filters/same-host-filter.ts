import type { HostFilter, HostState, RequestSpec } from '@nubo/core';
import { hintList, schedulerHint } from '../request-spec-hints.js';

/** With the `same_host` hint (instance UUIDs), passes only hosts running one of those instances. */
export class SameHostFilter implements HostFilter {
  readonly name = 'SameHostFilter';
  readonly runFilterOncePerRequest = true;
  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const uuids = schedulerHint(spec, 'same_host');
    if (!uuids || uuids.length === 0) return true;
    return hintList(uuids).some((u) => host.instances.has(u));
  }
}
