import type { FastifyInstance } from 'fastify';
import { NotFound } from '@nubo/core';
import type { ComputeRouteDeps } from './route-deps.js';
import { addresses } from './server-view-json.js';

/** /servers/{id}/ips and /servers/{id}/ips/{network_label}: a server's addresses by network. */
export function registerServerIpsRoutes(app: FastifyInstance, deps: ComputeRouteDeps): void {
  const { cloud } = deps;
  app.get<{ Params: { id: string } }>('/v2.1/servers/:id/ips', async (req) =>
    ({ addresses: addresses(await cloud.computeApi.getServer(deps.requestContext(req), req.params.id)) }));
  app.get<{ Params: { id: string; label: string } }>('/v2.1/servers/:id/ips/:label', async (req) => {
    const all = addresses(await cloud.computeApi.getServer(deps.requestContext(req), req.params.id));
    const one = all[req.params.label];
    if (!one) throw new NotFound('Instance is not a member of specified network');
    return { [req.params.label]: one };
  });
}
