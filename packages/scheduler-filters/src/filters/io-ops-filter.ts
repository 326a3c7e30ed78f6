import type { HostFilter, HostState, RequestSpec } from '@nubo/core';

/** Passes hosts with fewer than `max_io_ops_per_host` concurrent I/O-heavy operations (builds, resizes, snapshots…). */
export class IoOpsFilter implements HostFilter {
  readonly name: string = 'IoOpsFilter';
  constructor(protected readonly maxIoOpsPerHost = 8) {}
  protected maxIoOps(_host: HostState, _spec: RequestSpec): number {
    return this.maxIoOpsPerHost;
  }
  hostPasses(host: HostState, spec: RequestSpec): boolean {
    return host.numIoOps < this.maxIoOps(host, spec);
  }
}
