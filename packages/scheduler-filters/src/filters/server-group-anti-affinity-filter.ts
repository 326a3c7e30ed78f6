import type { HostFilter, HostState, RequestSpec } from '@nubo/core';

/**
 * For a server group with the `anti-affinity` policy, passes hosts holding fewer than
 * `max_server_per_host` (default 1) of the group's members. The instance's own host passes
 * (a move or rebuild of a member must not be blocked by itself).
 */
export class ServerGroupAntiAffinityFilter implements HostFilter {
  readonly name = 'ServerGroupAntiAffinityFilter';
  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const group = spec.instanceGroup;
    if (!group || group.policy !== 'anti-affinity') return true;
    if (host.instances.has(spec.instanceUuid)) return true;
    const members = new Set(group.members);
    let onHost = 0;
    for (const uuid of host.instances) if (members.has(uuid)) onHost++;
    const max = group.rules?.max_server_per_host ?? 1;
    return onHost < max;
  }
}
