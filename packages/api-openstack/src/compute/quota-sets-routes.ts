import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ADMIN_TOKENS, BadRequest, type QuotaDetail, type QuotaLimits, type QuotaResource, type QuotaSetService, type QuotaSetUpdate } from '@nubo/core';
import { body, obj, type Schema } from '../http/json-schema.js';
import type { ComputeRouteDeps } from './route-deps.js';

type P = { Params: { id: string } };

/** Nova's quota_set keys in its order; the network-era ones leave at 2.36, the personality ones at 2.57. */
const SHOWN: QuotaResource[] = [
  'cores', 'fixed_ips', 'floating_ips', 'injected_file_content_bytes', 'injected_file_path_bytes', 'injected_files',
  'instances', 'key_pairs', 'metadata_items', 'ram', 'server_group_members', 'server_groups',
];
const GONE_2_36: QuotaResource[] = ['fixed_ips', 'floating_ips'];
const GONE_2_57: QuotaResource[] = ['injected_files', 'injected_file_content_bytes', 'injected_file_path_bytes'];

const limitLike: Schema = { anyOf: [{ type: 'integer' }, { type: 'string', pattern: '^-?[0-9]+$', maxLength: 11 }] };
const updateBody = body(obj({
  quota_set: {
    type: 'object',
    properties: Object.fromEntries([...SHOWN, 'networks', 'security_groups', 'security_group_rules'].map((k) => [k, limitLike]).concat([['force', {}]])),
    additionalProperties: false,
  },
}, ['quota_set']));

/** os-quota-sets: a project's limits, defaults, detail with usage, the admin's update and reset. */
export function registerQuotaSetsRoutes(app: FastifyInstance, deps: ComputeRouteDeps): void {
  const quotas = () => deps.cloud.container.get<QuotaSetService>(ADMIN_TOKENS.QuotaSets);
  const shown = (req: FastifyRequest) => SHOWN.filter((k) =>
    !(deps.isMicroversionAtLeast(req, '2.36') && GONE_2_36.includes(k)) && !(deps.isMicroversionAtLeast(req, '2.57') && GONE_2_57.includes(k)));
  const limitsJson = (req: FastifyRequest, id: string | null, l: QuotaLimits) => ({
    quota_set: { ...(id !== null ? { id } : {}), ...Object.fromEntries(shown(req).map((k) => [k, l[k]])) },
  });
  const detailJson = (req: FastifyRequest, id: string, d: Record<QuotaResource, QuotaDetail>) => ({
    quota_set: { id, ...Object.fromEntries(shown(req).map((k) => [k, { in_use: d[k].inUse, limit: d[k].limit, reserved: d[k].reserved }])) },
  });

  app.get<P>('/v2.1/os-quota-sets/:id', async (req) => limitsJson(req, req.params.id, await quotas().show(deps.requestContext(req), req.params.id)));
  app.get<P>('/v2.1/os-quota-sets/:id/defaults', async (req) => limitsJson(req, req.params.id, await quotas().defaults(deps.requestContext(req), req.params.id)));
  app.get<P>('/v2.1/os-quota-sets/:id/detail', async (req) => detailJson(req, req.params.id, await quotas().detail(deps.requestContext(req), req.params.id)));

  app.put<P>('/v2.1/os-quota-sets/:id', { schema: updateBody }, async (req) => {
    const set = { ...(req.body as { quota_set: Record<string, unknown> }).quota_set };
    // Keys a microversion no longer accepts are refused like any unknown key.
    const accepted = new Set<string>([...shown(req), 'force', 'networks']);
    if (!deps.isMicroversionAtLeast(req, '2.36')) for (const k of ['security_groups', 'security_group_rules']) accepted.add(k);
    const unknown = Object.keys(set).find((k) => !accepted.has(k));
    if (unknown !== undefined) {
      throw new BadRequest(`Invalid input for field/attribute quota_set. Additional properties are not allowed ('${unknown}' was unexpected)`);
    }
    // Security groups belong to the network service; their limits are accepted and not kept, as Nova does without nova-network.
    delete set.security_groups;
    delete set.security_group_rules;
    return limitsJson(req, null, await quotas().update(deps.requestContext(req), req.params.id, set as QuotaSetUpdate));
  });

  app.delete<P>('/v2.1/os-quota-sets/:id', async (req, reply) => {
    await quotas().reset(deps.requestContext(req), req.params.id);
    return reply.code(202).send();
  });
}
