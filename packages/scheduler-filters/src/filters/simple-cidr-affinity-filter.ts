import type { HostFilter, HostState, RequestSpec } from '@nubo/core';
import { ipInNetwork } from '../ip-network.js';
import { schedulerHint } from '../request-spec-hints.js';

/**
 * With the `build_near_host_ip` hint, passes hosts whose IP lies in that address's network
 * of prefix `cidr` (hint, default `/24`).
 */
export class SimpleCIDRAffinityFilter implements HostFilter {
  readonly name = 'SimpleCIDRAffinityFilter';
  readonly runFilterOncePerRequest = true;
  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const near = schedulerHint(spec, 'build_near_host_ip');
    if (!near || near.length === 0) return true;
    const cidr = schedulerHint(spec, 'cidr', '/24');
    return ipInNetwork(host.hostIp, `${String(near)}${String(cidr)}`);
  }
}
