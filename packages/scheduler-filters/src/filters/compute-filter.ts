import type { HostFilter, HostState } from '@nubo/core';

/** Passes only hosts whose compute service is enabled and up (reported within `service_down_time`). */
export class ComputeFilter implements HostFilter {
  readonly name = 'ComputeFilter';
  readonly runFilterOncePerRequest = true;
  hostPasses(host: HostState): boolean {
    return !host.serviceDisabled && host.serviceUp;
  }
}
