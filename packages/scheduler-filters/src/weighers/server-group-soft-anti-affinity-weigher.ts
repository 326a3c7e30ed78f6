import type { HostState, HostWeigher, RequestSpec } from '@nubo/core';
import { groupMembersOnHost } from './server-group-soft-affinity-weigher.js';
import { weightMultiplier } from './weight-multiplier.js';

/** For a `soft-anti-affinity` group, prefers hosts running fewer of its members. Override: `soft_anti_affinity_weight_multiplier`. */
export class ServerGroupSoftAntiAffinityWeigher implements HostWeigher {
  readonly name = 'ServerGroupSoftAntiAffinityWeigher';
  constructor(private readonly configured = 1.0) {}
  multiplier(host: HostState): number {
    return weightMultiplier(host, 'soft_anti_affinity_weight_multiplier', this.configured);
  }
  weigh(host: HostState, spec: RequestSpec): number {
    return -1 * groupMembersOnHost(host, spec, 'soft-anti-affinity');
  }
}
