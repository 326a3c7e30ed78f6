import type { ComputeNode } from '../../model/compute-node.js';
import type { RequestContext } from '../../model/request-context.js';
import type { RequestSpec } from '../../ports/host-state.js';
import type { Transport } from '../../ports/transport.js';
import { callAcrossReconnects } from '../../transport/call-across-reconnects.js';
import { Topics } from '../topics.js';

/** For each instance: the chosen host first, then alternates for a reschedule. */
export type Selections = { host: string; node: string }[][];

export class SchedulerRpcClient {
  constructor(private readonly transport: Transport, private readonly timeoutMs = 60_000) {}

  /**
   * Throws `NoValidHost` when no host passes the filters. A call cut by a broker restart is
   * made again: asking twice at worst claims twice in a scheduler's cache, which the chosen
   * hosts' next reports set right.
   */
  selectDestinations(ctx: RequestContext, spec: RequestSpec, count: number, instanceUuids?: readonly string[]): Promise<Selections> {
    return callAcrossReconnects<Selections>(this.transport, { topic: Topics.scheduler }, 'select_destinations', { spec, count, instanceUuids }, {
      context: ctx, timeoutMs: this.timeoutMs,
    });
  }

  /** Tells every scheduler (fanout) about a compute node's fresh report. */
  updateHostState(node: ComputeNode, instanceUuids: string[]): Promise<void> {
    return this.transport.cast({ topic: Topics.scheduler, fanout: true }, 'update_host_state', { node, instanceUuids });
  }
}
