import type { FastifyInstance } from 'fastify';
import { IdentityPolicy as I } from '@nubo/core';
import { body, bool, nullable, obj, str } from '../http/json-schema.js';
import { queryOf } from '../http/query-params.js';
import type { IdentityRouteDeps } from './identity-deps.js';
import { collection, projectJson, userJson } from './keystone-json.js';

type P = { Params: { id: string } };
interface UserBody { name?: string; password?: string; domain_id?: string; default_project_id?: string | null; enabled?: boolean }
const fields = { name: str(255, 1), password: str(4096), domain_id: str(64, 1), default_project_id: nullable(str(64)), enabled: bool, email: str(255), description: nullable(str(65535)) };
const createSchema = body(obj({ user: obj(fields, ['name']) }, ['user']));
const updateSchema = body(obj({ user: obj({ name: fields.name, password: fields.password, default_project_id: fields.default_project_id, enabled: bool, email: fields.email, description: fields.description }) }, ['user']));

/** /v3/users and /v3/users/{id}/projects. */
export function registerUsersRoutes(app: FastifyInstance, deps: IdentityRouteDeps): void {
  const idp = deps.cloud.identity;
  const base = () => deps.endpoints().identity;

  app.get('/v3/users', async (req) => {
    deps.policy.enforce(deps.requestContext(req), I.listUsers);
    const q = queryOf(req);
    const users = await idp.listUsers({ domainId: q.domain_id, name: q.name });
    return collection(base(), 'users', 'users', users.map((u) => userJson(base(), u)));
  });
  app.post('/v3/users', { schema: createSchema }, async (req, reply) => {
    deps.policy.enforce(deps.requestContext(req), I.createUser);
    const u = (req.body as { user: UserBody }).user;
    const created = await idp.createUser({ name: u.name!, password: u.password ?? '', domainId: u.domain_id, defaultProjectId: u.default_project_id ?? null, enabled: u.enabled });
    return reply.code(201).send({ user: userJson(base(), created) });
  });
  app.get<P>('/v3/users/:id', async (req) => {
    deps.policy.enforce(deps.requestContext(req), I.getUser, { 'target.user.id': req.params.id });
    return { user: userJson(base(), await idp.getUser(req.params.id)) };
  });
  app.patch<P>('/v3/users/:id', { schema: updateSchema }, async (req) => {
    deps.policy.enforce(deps.requestContext(req), I.updateUser, { 'target.user.id': req.params.id });
    const u = (req.body as { user: UserBody }).user;
    const patch: { name?: string; enabled?: boolean; defaultProjectId?: string | null; password?: string } = {};
    if (u.name !== undefined) patch.name = u.name;
    if (u.enabled !== undefined) patch.enabled = u.enabled;
    if (u.default_project_id !== undefined) patch.defaultProjectId = u.default_project_id;
    if (u.password !== undefined) patch.password = u.password;
    return { user: userJson(base(), await idp.updateUser(req.params.id, patch)) };
  });
  app.delete<P>('/v3/users/:id', async (req, reply) => {
    deps.policy.enforce(deps.requestContext(req), I.deleteUser, { 'target.user.id': req.params.id });
    await idp.deleteUser(req.params.id);
    return reply.code(204).send();
  });
  app.get<P>('/v3/users/:id/projects', async (req) => {
    deps.policy.enforce(deps.requestContext(req), I.listUserProjects, { 'target.user.id': req.params.id });
    const projects = await idp.listUserProjects(req.params.id);
    return collection(base(), `users/${req.params.id}/projects`, 'projects', projects.map((p) => projectJson(base(), p)));
  });
}
