import type { FastifyInstance } from 'fastify';
import { BadRequest, type RebootType, type RequestContext } from '@nubo/core';
import { body } from '../http/json-schema.js';
import type { ComputeRouteDeps } from './route-deps.js';
import { serverActionSchema } from './server-action-schemas.js';
import { refId } from './server-refs.js';
import { serverDetailJson } from './server-view-json.js';

type ActionBody = Record<string, Record<string, unknown> | null>;

/** POST /servers/{id}/action: reboot, os-stop, os-start, pause, unpause, suspend, resume, createImage, resize, confirmResize, revertResize, rebuild. */
export function registerServerActionsRoutes(app: FastifyInstance, deps: ComputeRouteDeps): void {
  const { cloud } = deps;
  const a = cloud.serverActions;
  const simple: Record<string, (ctx: RequestContext, id: string) => Promise<void>> = {
    'os-stop': (c, id) => a.stop(c, id),
    'os-start': (c, id) => a.start(c, id),
    pause: (c, id) => a.pause(c, id),
    unpause: (c, id) => a.unpause(c, id),
    suspend: (c, id) => a.suspend(c, id),
    resume: (c, id) => a.resume(c, id),
    confirmResize: (c, id) => a.confirmResize(c, id),
    revertResize: (c, id) => a.revertResize(c, id),
  };

  app.post<{ Params: { id: string } }>('/v2.1/servers/:id/action', { schema: body(serverActionSchema) }, async (req, reply) => {
    const ctx = deps.requestContext(req);
    const id = req.params.id;
    const [name, args] = Object.entries(req.body as ActionBody)[0]!;
    reply.code(202);
    if (simple[name]) {
      await simple[name](ctx, id);
      return reply.send();
    }
    const arg = (args ?? {}) as Record<string, unknown>;
    switch (name) {
      case 'reboot':
        await a.reboot(ctx, id, String(arg.type).toUpperCase() as RebootType);
        return reply.send();
      case 'resize':
        await a.resize(ctx, id, refId(arg.flavorRef as string)!);
        return reply.send();
      case 'createImage': {
        const image = await a.createImage(ctx, id, { name: arg.name as string, metadata: arg.metadata as Record<string, string> | undefined });
        reply.header('location', `${deps.publicUrl()}/v2.1/images/${image.id}`);
        return reply.send();
      }
      case 'rebuild': {
        await a.rebuild(ctx, id, { imageRef: refId(arg.imageRef as string)!, name: arg.name as string | undefined, metadata: arg.metadata as Record<string, string> | undefined });
        return { server: serverDetailJson(await cloud.computeApi.getServer(ctx, id), ctx, { compute: deps.publicUrl(), defaultZone: cloud.options.defaultAvailabilityZone }) };
      }
      default:
        throw new BadRequest(`Unknown action ${name}.`);
    }
  });
}
