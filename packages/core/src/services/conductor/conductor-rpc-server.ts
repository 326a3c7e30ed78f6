import { reviveImage } from '../../model/image.js';
import { reviveInstancePatch } from '../../model/instance.js';
import { reviveActionEventRecords } from '../../model/instance-action-record.js';
import type { RequestContext } from '../../model/request-context.js';
import type { RpcServerHandle, Transport } from '../../ports/transport.js';
import { Topics } from '../topics.js';
import type { BuildStep } from './build-step-writer.js';
import type { ConductorManager } from './conductor-manager.js';

/** Puts a conductor on the `conductor` topic; any conductor of the cloud may take any message. */
export function serveConductor(transport: Transport, m: ConductorManager, host: string): Promise<RpcServerHandle> {
  const ctx = (c: RequestContext | null) => c as RequestContext;
  return transport.serve({ topic: Topics.conductor, server: host }, {
    build_instances: (c, a) => m.buildInstances(ctx(c), { ...a, image: a.image && reviveImage(a.image) }),
    reschedule_build: (c, a) => m.rescheduleBuild(ctx(c), { ...a, image: a.image && reviveImage(a.image) }),
    instance_get: (_c, a) => m.instanceGet(a.uuid),
    flavor_get: (_c, a) => m.flavorGet(a.id),
    instance_update: (_c, a) => m.instanceUpdate(a.uuid, reviveInstancePatch(a.values), a.expectedTaskState, a.expectedHost),
    build_steps: (_c, a) => m.writeBuildSteps(reviveBuildSteps(a.steps)),
    action_events_record: (c, a) => m.actionEventsRecord(ctx(c), a.uuid, reviveActionEventRecords(a.events)),
    instance_destroy: (_c, a) => m.instanceDestroy(a.uuid),
    instance_fault_create: (c, a) => m.instanceFaultCreate(c, a.uuid, a.host, a.fault),
    action_event_start: (c, a) => m.actionEventStart(ctx(c), a.uuid, a.event, a.host),
    action_event_finish: (c, a) => m.actionEventFinish(ctx(c), a.uuid, a.event, a.error),
    instances_on_host: (_c, a) => m.instancesOnHost(a.host),
    instance_sizes_on_host: (_c, a) => m.instanceSizesOnHost(a.host),
    compute_node_update: (_c, a) => m.computeNodeUpdate(reviveNode(a.node), a.instanceUuids),
    service_report: (_c, a) => m.serviceReport(a),
  });
}

function reviveNode<T extends { updatedAt: unknown }>(n: T): T {
  return { ...n, updatedAt: new Date(n.updatedAt as string) };
}

/** Dates arrive as strings over RPC. */
function reviveBuildSteps(steps: BuildStep[]): BuildStep[] {
  return steps.map((s) => s.kind === 'claim'
    ? { ...s, events: reviveActionEventRecords(s.events) }
    : { ...s, values: reviveInstancePatch(s.values), events: reviveActionEventRecords(s.events) });
}
