import type { HostState, HostWeigher, RequestSpec } from '@nubo/core';
import { weightMultiplier } from './weight-multiplier.js';

/** How many members of the request's server group run on the host, when the group has `policy`. */
export function groupMembersOnHost(host: HostState, spec: RequestSpec, policy: string): number {
  const group = spec.instanceGroup;
  if (!group || group.policy !== policy) return 0;
  let n = 0;
  for (const member of new Set(group.members)) if (host.instances.has(member)) n++;
  return n;
}

/** For a `soft-affinity` group, prefers hosts already running more of its members. Override: `soft_affinity_weight_multiplier`. */
export class ServerGroupSoftAffinityWeigher implements HostWeigher {
  readonly name = 'ServerGroupSoftAffinityWeigher';
  constructor(private readonly configured = 1.0) {}
  multiplier(host: HostState): number {
    return weightMultiplier(host, 'soft_affinity_weight_multiplier', this.configured);
  }
  weigh(host: HostState, spec: RequestSpec): number {
    return groupMembersOnHost(host, spec, 'soft-affinity');
  }
}
