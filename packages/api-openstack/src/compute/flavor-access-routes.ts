import type { FastifyInstance } from 'fastify';
import { ADMIN_TOKENS, BadRequest, type FlavorAccess, type FlavorService } from '@nubo/core';
import { body, obj, str } from '../http/json-schema.js';
import type { ComputeRouteDeps } from './route-deps.js';

type P = { Params: { id: string } };

const tenant = obj({ tenant: str(255, 1) }, ['tenant']);
const actionBody = body({
  type: 'object',
  properties: { addTenantAccess: tenant, removeTenantAccess: tenant },
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
});

const accessJson = (list: FlavorAccess[]) => ({ flavor_access: list.map((a) => ({ flavor_id: a.flavorId, tenant_id: a.tenantId })) });

/** os-flavor-access: who may use a private flavor (GET …/os-flavor-access, POST …/action). */
export function registerFlavorAccessRoutes(app: FastifyInstance, deps: ComputeRouteDeps): void {
  const flavors = () => deps.cloud.container.get<FlavorService>(ADMIN_TOKENS.Flavors);

  app.get<P>('/v2.1/flavors/:id/os-flavor-access', async (req) =>
    accessJson(await flavors().listAccess(deps.requestContext(req), req.params.id)));

  app.post<P>('/v2.1/flavors/:id/action', { schema: actionBody }, async (req) => {
    const ctx = deps.requestContext(req);
    const b = req.body as { addTenantAccess?: { tenant: string }; removeTenantAccess?: { tenant: string } };
    if (b.addTenantAccess) return accessJson(await flavors().addAccess(ctx, req.params.id, b.addTenantAccess.tenant));
    if (b.removeTenantAccess) return accessJson(await flavors().removeAccess(ctx, req.params.id, b.removeTenantAccess.tenant));
    throw new BadRequest('There is no such action.');
  });
}
