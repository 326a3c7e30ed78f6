import type { FastifyInstance } from 'fastify';
import { ADMIN_TOKENS, type FlavorService } from '@nubo/core';
import { body, obj, type Schema } from '../http/json-schema.js';
import type { ComputeRouteDeps } from './route-deps.js';

type P = { Params: { id: string } };
type PK = { Params: { id: string; key: string } };

/** Nova's extra-specs map: keys of [a-zA-Z0-9-_:. ] (1-255), values strings (≤255) or numbers. */
const specsMap = (extra: Partial<Schema> = {}): Schema => ({
  type: 'object',
  patternProperties: { '^[a-zA-Z0-9-_:. ]{1,255}$': { anyOf: [{ type: 'string', maxLength: 255 }, { type: 'number' }] } },
  additionalProperties: false,
  ...extra,
});

/** /flavors/{id}/os-extra_specs: read by anyone who sees the flavor, written by admins. */
export function registerFlavorExtraSpecsRoutes(app: FastifyInstance, deps: ComputeRouteDeps): void {
  const flavors = () => deps.cloud.container.get<FlavorService>(ADMIN_TOKENS.Flavors);
  const path = '/v2.1/flavors/:id/os-extra_specs';

  app.get<P>(path, async (req) => ({ extra_specs: await flavors().listExtraSpecs(deps.requestContext(req), req.params.id) }));

  app.post<P>(path, { schema: body(obj({ extra_specs: specsMap() }, ['extra_specs'])) }, async (req) => {
    const specs = (req.body as { extra_specs: Record<string, string | number> }).extra_specs;
    return { extra_specs: await flavors().setExtraSpecs(deps.requestContext(req), req.params.id, specs) };
  });

  app.get<PK>(`${path}/:key`, async (req) =>
    ({ [req.params.key]: await flavors().getExtraSpec(deps.requestContext(req), req.params.id, req.params.key) }));

  app.put<PK>(`${path}/:key`, { schema: body(specsMap({ minProperties: 1, maxProperties: 1 })) }, async (req) =>
    flavors().setExtraSpec(deps.requestContext(req), req.params.id, req.params.key, req.body as Record<string, string | number>));

  app.delete<PK>(`${path}/:key`, async (req, reply) => {
    await flavors().deleteExtraSpec(deps.requestContext(req), req.params.id, req.params.key);
    return reply.code(200).send();
  });
}
