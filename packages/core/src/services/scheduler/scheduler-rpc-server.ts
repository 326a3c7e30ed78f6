import type { RequestContext } from '../../model/request-context.js';
import type { RpcServerHandle, Transport } from '../../ports/transport.js';
import { Topics } from '../topics.js';
import type { SchedulerManager } from './scheduler-manager.js';

/** Puts a scheduler on the `scheduler` topic and its fanout (every scheduler hears host reports). */
export function serveScheduler(transport: Transport, m: SchedulerManager, host: string): Promise<RpcServerHandle> {
  return transport.serve({ topic: Topics.scheduler, server: host }, {
    select_destinations: (c, a) => m.selectDestinations(c as RequestContext, a.spec, a.count, a.instanceUuids ?? []),
    update_host_state: async (_c, a) => m.updateHostState({ ...a.node, updatedAt: new Date(a.node.updatedAt) }, a.instanceUuids),
  });
}
