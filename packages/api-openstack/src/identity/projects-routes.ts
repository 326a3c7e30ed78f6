import type { FastifyInstance } from 'fastify';
import { IdentityPolicy as I } from '@nubo/core';
import { body, bool, nullable, obj, str } from '../http/json-schema.js';
import { queryOf } from '../http/query-params.js';
import type { IdentityRouteDeps } from './identity-deps.js';
import { collection, projectJson } from './keystone-json.js';

type P = { Params: { id: string } };
const projectFields = { name: str(64, 1), description: nullable(str(65535)), enabled: bool, domain_id: str(64, 1), is_domain: { const: false }, parent_id: nullable(str(64)), tags: { type: 'array', maxItems: 0 } };
const createSchema = body(obj({ project: obj(projectFields, ['name']) }, ['project']));
const updateSchema = body(obj({ project: obj({ name: projectFields.name, description: projectFields.description, enabled: bool }) }, ['project']));

/** /v3/projects (admin manages; a member may read the project it is scoped to). */
export function registerProjectsRoutes(app: FastifyInstance, deps: IdentityRouteDeps): void {
  const idp = deps.cloud.identity;
  const base = () => deps.endpoints().identity;

  app.get('/v3/projects', async (req) => {
    deps.policy.enforce(deps.requestContext(req), I.listProjects);
    const q = queryOf(req);
    const projects = await idp.listProjects({ domainId: q.domain_id, name: q.name });
    return collection(base(), 'projects', 'projects', projects.map((p) => projectJson(base(), p)));
  });
  app.post('/v3/projects', { schema: createSchema }, async (req, reply) => {
    deps.policy.enforce(deps.requestContext(req), I.createProject);
    const p = (req.body as { project: { name: string; description?: string | null; enabled?: boolean; domain_id?: string } }).project;
    const created = await idp.createProject({ name: p.name, description: p.description ?? '', enabled: p.enabled, domainId: p.domain_id });
    return reply.code(201).send({ project: projectJson(base(), created) });
  });
  app.get<P>('/v3/projects/:id', async (req) => {
    deps.policy.enforce(deps.requestContext(req), I.getProject, { 'target.project.id': req.params.id });
    return { project: projectJson(base(), await idp.getProject(req.params.id)) };
  });
  app.patch<P>('/v3/projects/:id', { schema: updateSchema }, async (req) => {
    deps.policy.enforce(deps.requestContext(req), I.updateProject, { 'target.project.id': req.params.id });
    const p = (req.body as { project: { name?: string; description?: string | null; enabled?: boolean } }).project;
    const patch: { name?: string; description?: string; enabled?: boolean } = {};
    if (p.name !== undefined) patch.name = p.name;
    if (p.description !== undefined) patch.description = p.description ?? '';
    if (p.enabled !== undefined) patch.enabled = p.enabled;
    return { project: projectJson(base(), await idp.updateProject(req.params.id, patch)) };
  });
  app.delete<P>('/v3/projects/:id', async (req, reply) => {
    deps.policy.enforce(deps.requestContext(req), I.deleteProject, { 'target.project.id': req.params.id });
    await idp.deleteProject(req.params.id);
    return reply.code(204).send();
  });
}
