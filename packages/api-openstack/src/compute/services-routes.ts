import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ADMIN_TOKENS, BadRequest, NotFound, type HostAdminService, type ServiceInfo } from '@nubo/core';
import { body, obj, str, type Schema } from '../http/json-schema.js';
import { queryOf } from '../http/query-params.js';
import { novaMicroTime } from './nova-time.js';
import type { ComputeRouteDeps } from './route-deps.js';

type P = { Params: { id: string } };

const boolLike: Schema = { anyOf: [{ type: 'boolean' }, { type: 'string', enum: ['true', 'True', 'TRUE', 'false', 'False', 'FALSE', '1', '0', 'yes', 'no', 'on', 'off'] }] };
/** Both bodies in one schema: host and binary before 2.53, status from 2.53 (the handler checks which). */
const updateBody = body(obj({
  host: str(255, 1), binary: str(255, 1), status: { enum: ['enabled', 'disabled'] }, disabled_reason: str(255, 1), forced_down: boolLike,
}));
type UpdateBody = { host?: string; binary?: string; status?: 'enabled' | 'disabled'; disabled_reason?: string; forced_down?: unknown };
const unexpected = (k: string) => new BadRequest(`Invalid input for field/attribute service. Additional properties are not allowed ('${k}' was unexpected)`);

const toBool = (v: unknown): boolean => (typeof v === 'boolean' ? v : ['true', '1', 'yes', 'on'].includes(String(v).toLowerCase()));

/** os-services: list (filters host, binary), enable/disable/force-down, delete. Admin only. */
export function registerServicesRoutes(app: FastifyInstance, deps: ComputeRouteDeps): void {
  const hosts = () => deps.cloud.container.get<HostAdminService>(ADMIN_TOKENS.HostAdmin);
  const at = (req: FastifyRequest, v: string) => deps.isMicroversionAtLeast(req, v);

  const json = (req: FastifyRequest, s: ServiceInfo): Record<string, unknown> => {
    const out: Record<string, unknown> = {
      id: at(req, '2.53') ? s.uuid : s.id, binary: s.binary, host: s.host, zone: s.zone, status: s.status, state: s.state,
      updated_at: novaMicroTime(s.updatedAt), disabled_reason: s.disabledReason,
    };
    if (at(req, '2.11')) out.forced_down = s.forcedDown;
    return out;
  };

  app.get('/v2.1/os-services', async (req) => {
    const q = queryOf(req);
    const list = await hosts().listServices(deps.requestContext(req), { host: q.host, binary: q.binary });
    return { services: list.map((s) => json(req, s)) };
  });

  app.put<P>('/v2.1/os-services/:id', { schema: updateBody }, async (req) => {
    const ctx = deps.requestContext(req);
    const b = req.body as UpdateBody;
    if (b.forced_down !== undefined && !at(req, '2.11')) throw unexpected('forced_down');
    if (at(req, '2.53')) {
      for (const k of ['host', 'binary'] as const) if (b[k] !== undefined) throw unexpected(k);
      const s = await hosts().updateService(ctx, req.params.id, {
        status: b.status, disabledReason: b.disabled_reason, forcedDown: b.forced_down === undefined ? undefined : toBool(b.forced_down),
      });
      return { service: json(req, s) };
    }
    // Before 2.53 the path names the action and the body names the service.
    if (b.status !== undefined) throw unexpected('status');
    if (b.host === undefined || b.binary === undefined) throw new BadRequest(`Invalid input for field/attribute service. '${b.host === undefined ? 'host' : 'binary'}' is a required property`);
    const { host, binary } = b as { host: string; binary: string };
    const action = req.params.id;
    const reply: Record<string, unknown> = { host, binary };
    if (action === 'enable') {
      await hosts().updateServiceByHost(ctx, host, binary, { status: 'enabled' });
      reply.status = 'enabled';
    } else if (action === 'disable' || action === 'disable-log-reason') {
      if (action === 'disable-log-reason' && b.disabled_reason === undefined) throw new BadRequest('Missing disabled reason field');
      const reason = action === 'disable-log-reason' ? b.disabled_reason : undefined;
      await hosts().updateServiceByHost(ctx, host, binary, { status: 'disabled', disabledReason: reason ?? null });
      reply.status = 'disabled';
      if (reason) reply.disabled_reason = reason;
    } else if (action === 'force-down' && at(req, '2.11')) {
      if (b.forced_down === undefined) throw new BadRequest('Missing forced_down field');
      await hosts().updateServiceByHost(ctx, host, binary, { forcedDown: toBool(b.forced_down) });
      reply.forced_down = toBool(b.forced_down);
    } else {
      throw new NotFound('Unknown action');
    }
    return { service: reply };
  });

  app.delete<P>('/v2.1/os-services/:id', async (req, reply) => {
    await hosts().deleteService(deps.requestContext(req), req.params.id);
    return reply.code(204).send();
  });
}
