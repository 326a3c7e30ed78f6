import type { HostFilter, HostState, RequestSpec } from '@nubo/core';
import { isRebuild } from '../request-spec-hints.js';

/**
 * Nova's filter handler: each filter in turn keeps the hosts it passes; stops as soon as none
 * are left. `index` is the instance's position in a multi-instance request: filters marked
 * `runFilterOncePerRequest` run for the first instance only. For a rebuild only filters
 * marked `runOnRebuild` run.
 */
export function filterHosts<H extends HostState>(
  filters: readonly HostFilter[],
  hosts: readonly H[],
  spec: RequestSpec,
  index = 0,
): H[] {
  let remaining = hosts.slice();
  const rebuild = isRebuild(spec);
  for (const filter of filters) {
    if (filter.runFilterOncePerRequest && index > 0) continue;
    if (rebuild && !filter.runOnRebuild) continue;
    remaining = remaining.filter((h) => filter.hostPasses(h, spec));
    if (remaining.length === 0) break;
  }
  return remaining;
}
