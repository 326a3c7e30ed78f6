import type { FastifyInstance } from 'fastify';
import type { InstanceActionRecord } from '@nubo/core';
import type { ComputeRouteDeps } from './route-deps.js';
import { novaMicroTime } from './nova-time.js';

function actionJson(a: InstanceActionRecord) {
  return {
    action: a.action, instance_uuid: a.instanceUuid, message: a.message, project_id: a.projectId,
    request_id: a.requestId, start_time: novaMicroTime(a.startTime), user_id: a.userId,
  };
}

/** /servers/{id}/os-instance-actions: what was done to a server and how each step went. */
export function registerInstanceActionsRoutes(app: FastifyInstance, deps: ComputeRouteDeps): void {
  const svc = deps.cloud.instanceActions;
  app.get<{ Params: { id: string } }>('/v2.1/servers/:id/os-instance-actions', async (req) =>
    ({ instanceActions: (await svc.list(deps.requestContext(req), req.params.id)).map(actionJson) }));
  app.get<{ Params: { id: string; rid: string } }>('/v2.1/servers/:id/os-instance-actions/:rid', async (req) => {
    const ctx = deps.requestContext(req);
    const a = await svc.get(ctx, req.params.id, req.params.rid);
    return {
      instanceAction: {
        ...actionJson(a),
        events: a.events.map((e) => ({
          event: e.event, start_time: novaMicroTime(e.startTime), finish_time: novaMicroTime(e.finishTime), result: e.result,
          ...(ctx.isAdmin ? { traceback: e.traceback } : {}),
        })),
      },
    };
  });
}
