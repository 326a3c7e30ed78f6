import type { HostFilter, HostState, RequestSpec } from '@nubo/core';

/** Passes hosts running fewer than `max_instances_per_host` instances. */
export class NumInstancesFilter implements HostFilter {
  readonly name: string = 'NumInstancesFilter';
  constructor(protected readonly maxInstancesPerHost = 50) {}
  protected maxInstances(_host: HostState, _spec: RequestSpec): number {
    return this.maxInstancesPerHost;
  }
  hostPasses(host: HostState, spec: RequestSpec): boolean {
    return host.numInstances < this.maxInstances(host, spec);
  }
}
