import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startApiCloud, type ApiCloud } from './support/start-api-cloud.js';
import { call, issueToken } from './support/http-client.js';

describe('Identity v3 over HTTP', () => {
  let t: ApiCloud;
  let admin: string;
  beforeAll(async () => {
    t = await startApiCloud(1);
    admin = (await issueToken(t.api.endpoints, 'admin', ADMIN_PASSWORD, 'admin')).token;
  });
  afterAll(async () => { await t.stop(); });

  it('serves the version documents without a token', async () => {
    const root = await call(`${t.api.endpoints.identity}/`);
    expect(root.status).toBe(300);
    expect(root.body.versions.values[0].id).toMatch(/^v3/);
    const v3 = await call(`${t.api.endpoints.identity}/v3`);
    expect(v3.status).toBe(200);
    expect(v3.body.version.links[0].href).toBe(`${t.api.endpoints.identity}/v3/`);
  });

  it('issues a project-scoped token whose catalog names the real listening URLs', async () => {
    const { token, body } = await issueToken(t.api.endpoints, 'admin', ADMIN_PASSWORD, 'admin');
    expect(token.length).toBeGreaterThan(20);
    expect(body.token.project.name).toBe('admin');
    expect(body.token.roles.map((r: { name: string }) => r.name)).toContain('admin');
    const urls = Object.fromEntries(body.token.catalog.map((s: any) => [s.type, s.endpoints.find((e: any) => e.interface === 'public').url]));
    expect(urls).toEqual({
      identity: `${t.api.endpoints.identity}/v3`, compute: `${t.api.endpoints.compute}/v2.1`, image: t.api.endpoints.image,
    });
  });

  it('refuses a wrong password with 401 in Keystone\'s error shape', async () => {
    const r = await call(`${t.api.endpoints.identity}/v3/auth/tokens`, {
      method: 'POST', body: { auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { id: 'default' }, password: 'nope' } } } } },
    });
    expect(r.status).toBe(401);
    expect(r.body).toEqual({ error: { code: 401, title: 'Unauthorized', message: expect.any(String) } });
  });

  it('validates (GET, HEAD) and revokes (DELETE) a token; a revoked token is refused everywhere', async () => {
    const { token } = await issueToken(t.api.endpoints, 'admin', ADMIN_PASSWORD, 'admin');
    const url = `${t.api.endpoints.identity}/v3/auth/tokens`;
    const got = await call(url, { token: admin, headers: { 'x-subject-token': token } });
    expect(got.status).toBe(200);
    expect(got.headers.get('x-subject-token')).toBe(token);
    expect((await call(url, { method: 'HEAD', token: admin, headers: { 'x-subject-token': token } })).status).toBe(200);
    expect((await call(url, { method: 'DELETE', token: admin, headers: { 'x-subject-token': token } })).status).toBe(204);
    expect((await call(url, { token: admin, headers: { 'x-subject-token': token } })).status).toBe(404);
    expect((await call(`${t.api.endpoints.compute}/v2.1/servers`, { token })).status).toBe(401);
  });

  it('re-scopes with the token method and lists the caller\'s projects', async () => {
    const r = await call(`${t.api.endpoints.identity}/v3/auth/tokens`, {
      method: 'POST', body: { auth: { identity: { methods: ['token'], token: { id: admin } }, scope: { domain: { id: 'default' } } } },
    });
    expect(r.status).toBe(201);
    expect(r.body.token.domain).toEqual({ id: 'default', name: 'Default' });
    expect(r.body.token.methods).toEqual(expect.arrayContaining(['password', 'token']));
    const projects = await call(`${t.api.endpoints.identity}/v3/auth/projects`, { token: admin });
    expect(projects.body.projects.map((p: { name: string }) => p.name)).toEqual(['admin']);
  });

  it('lets an admin create a project, a user and a grant; the new user gets a token on that project', async () => {
    const e = t.api.endpoints.identity;
    const project = await call(`${e}/v3/projects`, { method: 'POST', token: admin, body: { project: { name: 'web', description: 'web team' } } });
    expect(project.status).toBe(201);
    const user = await call(`${e}/v3/users`, { method: 'POST', token: admin, body: { user: { name: 'alice', password: 'alice-pw', default_project_id: project.body.project.id } } });
    expect(user.status).toBe(201);
    const roles = await call(`${e}/v3/roles?name=member`, { token: admin });
    const member = roles.body.roles[0].id;
    const grant = await call(`${e}/v3/projects/${project.body.project.id}/users/${user.body.user.id}/roles/${member}`, { method: 'PUT', token: admin });
    expect(grant.status).toBe(204);
    const assignments = await call(`${e}/v3/role_assignments?user.id=${user.body.user.id}`, { token: admin });
    expect(assignments.body.role_assignments).toEqual([expect.objectContaining({ role: { id: member }, scope: { project: { id: project.body.project.id } } })]);
    const named = await call(`${e}/v3/role_assignments?user.id=${user.body.user.id}&include_names=1`, { token: admin });
    expect(named.body.role_assignments[0]).toMatchObject({
      role: { id: member, name: 'member' }, user: { name: 'alice', domain: { id: 'default', name: 'Default' } },
      scope: { project: { name: 'web', domain: { name: 'Default' } } },
    });
    const adminDomain = await call(`${e}/v3/role_assignments?scope.domain.id=default`, { token: admin });
    expect(adminDomain.body.role_assignments).toEqual([expect.objectContaining({ scope: { domain: { id: 'default' } } })]);
    const alice = await issueToken(t.api.endpoints, 'alice', 'alice-pw', 'web');
    expect(alice.body.token.roles.map((r: { name: string }) => r.name).sort()).toEqual(['member', 'reader']);
    // A member cannot manage identity.
    const denied = await call(`${e}/v3/users`, { token: alice.token });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe(403);
  });
});
