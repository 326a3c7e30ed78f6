import type { HostFilter, HostState, RequestSpec } from '@nubo/core';

/** For a server group with the `affinity` policy, passes only the hosts the group already uses. */
export class ServerGroupAffinityFilter implements HostFilter {
  readonly name = 'ServerGroupAffinityFilter';
  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const group = spec.instanceGroup;
    if (!group || group.policy !== 'affinity') return true;
    return group.hosts.length === 0 || group.hosts.includes(host.host);
  }
}
