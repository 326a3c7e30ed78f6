import { NoValidHost } from '../../errors.js';
import type { ComputeNode } from '../../model/compute-node.js';
import type { RequestContext } from '../../model/request-context.js';
import type { Logger } from '../../logging/logger.js';
import type { HostSelector } from '../../ports/host-selector.js';
import type { RequestSpec } from '../../ports/host-state.js';
import type { HostStateCache } from './host-state-cache.js';
import type { Selections } from './scheduler-rpc-client.js';

export interface SchedulerOptions {
  /** How many hosts per instance are returned: the chosen one plus alternates. */
  maxAttempts: number;
}

/** Nova's scheduler manager: picks a host (and alternates) per instance and claims it. */
export class SchedulerManager {
  constructor(
    private readonly cache: HostStateCache,
    private readonly selector: HostSelector,
    private readonly log: Logger,
    private readonly options: SchedulerOptions,
  ) {}

  /**
   * Hosts for `count` instances of one request; `instanceUuids` (as Nova's select_destinations
   * takes them) name each instance whose resources are claimed on its host, so that a hint
   * such as `different_host` sees every one of them until the hosts report again.
   */
  async selectDestinations(ctx: RequestContext, spec: RequestSpec, count: number, instanceUuids: readonly string[] = []): Promise<Selections> {
    const ignore = new Set(spec.ignoreHosts);
    let candidates = (await this.cache.candidates()).filter((h) => !ignore.has(h.host));
    const selections: Selections = [];
    for (let i = 0; i < count; i++) {
      let ranked = this.selector.select(spec, candidates);
      if (ranked.length === 0 && i === 0 && (await this.cache.refreshIfOlderThan(1000))) {
        candidates = (await this.cache.candidates()).filter((h) => !ignore.has(h.host));
        ranked = this.selector.select(spec, candidates);
      }
      if (ranked.length === 0) {
        this.log.info('no valid host', { requestId: ctx.requestId, instance: spec.instanceUuid, candidates: candidates.length });
        throw new NoValidHost('No valid host was found. There are not enough hosts available.');
      }
      const chosen = ranked[0]!;
      this.cache.consume(chosen, { ...spec, instanceUuid: instanceUuids[i] ?? spec.instanceUuid });
      // The next instance of the same request must see this one in its group (affinity rules).
      if (spec.instanceGroup && !spec.instanceGroup.hosts.includes(chosen.host)) spec.instanceGroup.hosts.push(chosen.host);
      selections.push(ranked.slice(0, this.options.maxAttempts).map((h) => ({ host: h.host, node: h.node })));
    }
    this.log.info('selected destinations', { requestId: ctx.requestId, instance: spec.instanceUuid, hosts: selections.map((s) => s[0]!.host) });
    return selections;
  }

  updateHostState(node: ComputeNode, instanceUuids: string[]): void {
    this.cache.update(node, instanceUuids);
  }
}
