import type { FastifyInstance } from 'fastify';
import { IdentityPolicy as I, NotFound } from '@nubo/core';
import { body, obj, str } from '../http/json-schema.js';
import { queryOf } from '../http/query-params.js';
import type { IdentityRouteDeps } from './identity-deps.js';
import { assignmentJson, collection, domainJson, roleJson, type AssignmentNames } from './keystone-json.js';

type Grant = { Params: { pid: string; uid: string; rid: string } };
const createSchema = body(obj({ role: obj({ name: str(255, 1), description: str(255) }, ['name']) }, ['role']));

/** /v3/roles, project grants, /v3/role_assignments and /v3/domains. */
export function registerRolesRoutes(app: FastifyInstance, deps: IdentityRouteDeps): void {
  const idp = deps.cloud.identity;
  const base = () => deps.endpoints().identity;
  const enforce = (req: Parameters<typeof deps.requestContext>[0], rule: string) => deps.policy.enforce(deps.requestContext(req), rule);

  app.get('/v3/roles', async (req) => {
    enforce(req, I.listRoles);
    const q = queryOf(req);
    const roles = (await idp.listRoles()).filter((r) => q.name === undefined || r.name === q.name);
    return collection(base(), 'roles', 'roles', roles.map((r) => roleJson(base(), r)));
  });
  app.post('/v3/roles', { schema: createSchema }, async (req, reply) => {
    enforce(req, I.createRole);
    const role = await idp.createRole((req.body as { role: { name: string } }).role.name);
    return reply.code(201).send({ role: roleJson(base(), role) });
  });
  app.get<{ Params: { id: string } }>('/v3/roles/:id', async (req) => {
    enforce(req, I.getRole);
    const role = (await idp.listRoles()).find((r) => r.id === req.params.id);
    if (!role) throw new NotFound(`Could not find role: ${req.params.id}.`);
    return { role: roleJson(base(), role) };
  });

  const grantPath = '/v3/projects/:pid/users/:uid/roles/:rid';
  const grant = (req: { params: Grant['Params'] }) => ({ projectId: req.params.pid, userId: req.params.uid, roleId: req.params.rid });
  app.put<Grant>(grantPath, async (req, reply) => {
    enforce(req, I.createGrant);
    await idp.assignRole(grant(req));
    return reply.code(204).send();
  });
  app.delete<Grant>(grantPath, async (req, reply) => {
    enforce(req, I.revokeGrant);
    await idp.unassignRole(grant(req));
    return reply.code(204).send();
  });
  app.head<Grant>(grantPath, async (req, reply) => {
    enforce(req, I.checkGrant);
    const found = await idp.listRoleAssignments(grant(req));
    if (!found.length) throw new NotFound('Could not find role assignment.');
    return reply.code(204).send();
  });
  app.get<{ Params: { pid: string; uid: string } }>('/v3/projects/:pid/users/:uid/roles', async (req) => {
    enforce(req, I.listRoleAssignments);
    const assigned = await idp.listRoleAssignments({ projectId: req.params.pid, userId: req.params.uid });
    const roles = (await idp.listRoles()).filter((r) => assigned.some((a) => a.roleId === r.id));
    return collection(base(), `projects/${req.params.pid}/users/${req.params.uid}/roles`, 'roles', roles.map((r) => roleJson(base(), r)));
  });

  app.get('/v3/role_assignments', async (req) => {
    enforce(req, I.listRoleAssignments);
    const q = queryOf(req);
    const filter: { userId?: string; projectId?: string; roleId?: string } = {};
    if (q['user.id']) filter.userId = q['user.id'];
    if (q['scope.project.id']) filter.projectId = q['scope.project.id'];
    if (q['role.id']) filter.roleId = q['role.id'];
    if (q['scope.domain.id']) filter.projectId = q['scope.domain.id'];
    const list = await idp.listRoleAssignments(filter);
    const [roles, users, projects, domains] = await Promise.all([idp.listRoles(), idp.listUsers(), idp.listProjects(), idp.listDomains()]);
    const names: AssignmentNames = {
      role: (id) => roles.find((r) => r.id === id)?.name,
      user: (id) => users.find((u) => u.id === id),
      project: (id) => projects.find((p) => p.id === id),
      domain: (id) => domains.find((d) => d.id === id)?.name,
    };
    const withNames = 'include_names' in q && q.include_names !== '0' && q.include_names.toLowerCase() !== 'false';
    return { role_assignments: list.map((a) => assignmentJson(base(), a, names, withNames)), links: { self: `${base()}/v3/role_assignments`, previous: null, next: null } };
  });

  app.get('/v3/domains', async (req) => {
    enforce(req, I.listDomains);
    return collection(base(), 'domains', 'domains', (await idp.listDomains()).map((d) => domainJson(base(), d)));
  });
  app.get<{ Params: { id: string } }>('/v3/domains/:id', async (req) => {
    enforce(req, I.getDomain);
    const d = (await idp.listDomains()).find((x) => x.id === req.params.id);
    if (!d) throw new NotFound(`Could not find domain: ${req.params.id}.`);
    return { domain: domainJson(base(), d) };
  });
}
