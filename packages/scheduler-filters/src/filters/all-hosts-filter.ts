import type { HostFilter } from '@nubo/core';

/** Lets every host pass (Nova's no-op `AllHostsFilter`). */
export class AllHostsFilter implements HostFilter {
  readonly name = 'AllHostsFilter';
  readonly runFilterOncePerRequest = true;
  hostPasses(): boolean {
    return true;
  }
}
