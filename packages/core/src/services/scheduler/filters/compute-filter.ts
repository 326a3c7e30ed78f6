import type { HostFilter } from '../../../ports/host-filter.js';
import type { HostState } from '../../../ports/host-state.js';

/** Passes hosts whose compute service is enabled and up (Nova's ComputeFilter). */
export class ComputeFilter implements HostFilter {
  readonly name = 'ComputeFilter';
  readonly runFilterOncePerRequest = false;
  hostPasses(host: HostState): boolean {
    return !host.serviceDisabled && host.serviceUp;
  }
}
