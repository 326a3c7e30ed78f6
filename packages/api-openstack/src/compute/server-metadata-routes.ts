import type { FastifyInstance } from 'fastify';
import { BadRequest } from '@nubo/core';
import { body, obj, stringMap } from '../http/json-schema.js';
import type { ComputeRouteDeps } from './route-deps.js';

type P = { Params: { id: string } };
type PK = { Params: { id: string; key: string } };
const metadataBody = body(obj({ metadata: stringMap() }, ['metadata']));
const metaBody = body(obj({ meta: { ...stringMap(1), minProperties: 1 } }, ['meta']));

/** /servers/{id}/metadata and /servers/{id}/metadata/{key}. */
export function registerServerMetadataRoutes(app: FastifyInstance, deps: ComputeRouteDeps): void {
  const m = deps.cloud.serverMetadata;
  const path = '/v2.1/servers/:id/metadata';
  app.get<P>(path, async (req) => ({ metadata: await m.list(deps.requestContext(req), req.params.id) }));
  app.put<P>(path, { schema: metadataBody }, async (req) =>
    ({ metadata: await m.replace(deps.requestContext(req), req.params.id, (req.body as { metadata: Record<string, string> }).metadata) }));
  app.post<P>(path, { schema: metadataBody }, async (req) =>
    ({ metadata: await m.merge(deps.requestContext(req), req.params.id, (req.body as { metadata: Record<string, string> }).metadata) }));
  app.get<PK>(`${path}/:key`, async (req) =>
    ({ meta: { [req.params.key]: await m.get(deps.requestContext(req), req.params.id, req.params.key) } }));
  app.put<PK>(`${path}/:key`, { schema: metaBody }, async (req) => {
    const meta = (req.body as { meta: Record<string, string> }).meta;
    if (!(req.params.key in meta)) throw new BadRequest('Request body and URI mismatch');
    const value = await m.set(deps.requestContext(req), req.params.id, req.params.key, meta[req.params.key]!);
    return { meta: { [req.params.key]: value } };
  });
  app.delete<PK>(`${path}/:key`, async (req, reply) => {
    await m.delete(deps.requestContext(req), req.params.id, req.params.key);
    return reply.code(204).send();
  });
}
