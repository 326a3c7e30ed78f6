import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ADMIN_TOKENS, BadRequest, type ServerGroup, type ServerGroupPolicy, type ServerGroupService } from '@nubo/core';
import { body, obj, str } from '../http/json-schema.js';
import { queryInt, queryOf } from '../http/query-params.js';
import type { ComputeRouteDeps } from './route-deps.js';

type P = { Params: { id: string } };

const POLICIES = ['affinity', 'anti-affinity', 'soft-affinity', 'soft-anti-affinity'];
/** One schema for both shapes: `policies: [one]` before 2.64, `policy` + `rules` from 2.64 (the handler checks which). */
const createBody = body(obj({
  server_group: obj({
    name: str(255, 1),
    policies: { type: 'array', items: { enum: POLICIES }, minItems: 1, maxItems: 1 },
    policy: { enum: POLICIES },
    rules: obj({ max_server_per_host: { anyOf: [{ type: 'integer', minimum: 1 }, { type: 'string', pattern: '^[0-9]{1,9}$' }] } }),
  }, ['name']),
}, ['server_group']));

/** os-server-groups: create, list (own; `all_projects` for admins), show, delete. */
export function registerServerGroupsRoutes(app: FastifyInstance, deps: ComputeRouteDeps): void {
  const groups = () => deps.cloud.container.get<ServerGroupService>(ADMIN_TOKENS.ServerGroups);
  const at = (req: FastifyRequest, v: string) => deps.isMicroversionAtLeast(req, v);

  const json = (req: FastifyRequest, g: ServerGroup): Record<string, unknown> => {
    const out: Record<string, unknown> = { id: g.id, name: g.name };
    if (at(req, '2.64')) Object.assign(out, { policy: g.policy, rules: g.rules });
    else Object.assign(out, { policies: [g.policy], metadata: {} });
    out.members = g.members;
    if (at(req, '2.13')) Object.assign(out, { project_id: g.projectId, user_id: g.userId });
    return out;
  };

  app.post('/v2.1/os-server-groups', { schema: createBody }, async (req) => {
    const sg = (req.body as { server_group: { name: string; policies?: string[]; policy?: string; rules?: Record<string, unknown> } }).server_group;
    const unexpected = (k: string) => new BadRequest(`Invalid input for field/attribute server_group. Additional properties are not allowed ('${k}' was unexpected)`);
    let policy: string;
    let rules: Record<string, unknown> | undefined;
    if (at(req, '2.64')) {
      if (sg.policies !== undefined) throw unexpected('policies');
      if (sg.policy === undefined) throw new BadRequest("Invalid input for field/attribute server_group. 'policy' is a required property");
      policy = sg.policy;
      rules = sg.rules;
    } else {
      if (sg.policy !== undefined) throw unexpected('policy');
      if (sg.rules !== undefined) throw unexpected('rules');
      if (sg.policies === undefined) throw new BadRequest("Invalid input for field/attribute server_group. 'policies' is a required property");
      policy = sg.policies[0]!;
      if (policy.startsWith('soft-') && !at(req, '2.15')) throw new BadRequest(`Invalid input for field/attribute 0. Value: ${policy}. '${policy}' is not one of ['anti-affinity', 'affinity']`);
    }
    const g = await groups().create(deps.requestContext(req), { name: sg.name, policy: policy as ServerGroupPolicy, rules });
    return { server_group: json(req, g) };
  });

  app.get('/v2.1/os-server-groups', async (req) => {
    const q = queryOf(req);
    const list = await groups().list(deps.requestContext(req), {
      allProjects: q.all_projects !== undefined && !['0', 'false', 'no', 'off'].includes(q.all_projects.toLowerCase()),
      limit: queryInt(q, 'limit'), offset: queryInt(q, 'offset'),
    });
    return { server_groups: list.map((g) => json(req, g)) };
  });

  app.get<P>('/v2.1/os-server-groups/:id', async (req) => ({ server_group: json(req, await groups().get(deps.requestContext(req), req.params.id)) }));

  app.delete<P>('/v2.1/os-server-groups/:id', async (req, reply) => {
    await groups().delete(deps.requestContext(req), req.params.id);
    return reply.code(204).send();
  });
}
