import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startApiCloud, type ApiCloud } from './support/start-api-cloud.js';
import { call, issueToken, until } from './support/http-client.js';

describe('security over HTTP: tokens and project isolation', () => {
  let t: ApiCloud;
  let c: string; let g: string; let k: string;
  let adminToken: string;
  let a: string; // member of project A
  let b: string; // member of project B
  let serverA: string;
  let imageA: string;

  async function member(project: string, user: string): Promise<string> {
    const idp = t.cloud.identity;
    const p = await idp.createProject({ name: project });
    const u = await idp.createUser({ name: user, password: `${user}-pw`, defaultProjectId: p.id });
    const role = (await idp.listRoles()).find((r) => r.name === 'member')!;
    await idp.assignRole({ userId: u.id, projectId: p.id, roleId: role.id });
    return (await issueToken(t.api.endpoints, user, `${user}-pw`, project)).token;
  }

  beforeAll(async () => {
    t = await startApiCloud(1);
    ({ compute: c, image: g, identity: k } = t.api.endpoints);
    adminToken = (await issueToken(t.api.endpoints, 'admin', ADMIN_PASSWORD, 'admin')).token;
    a = await member('project-a', 'alice');
    b = await member('project-b', 'bob');
    const pub = await call(`${g}/v2/images`, { method: 'POST', token: adminToken, body: { name: 'public', visibility: 'public', disk_format: 'raw', container_format: 'bare' } });
    await call(`${g}/v2/images/${pub.body.id}/file`, { method: 'PUT', token: adminToken, raw: new Uint8Array(1024), headers: { 'content-type': 'application/octet-stream' } });
    const s = await call(`${c}/v2.1/servers`, { method: 'POST', token: a, body: { server: { name: 'a-vm', flavorRef: '1', imageRef: pub.body.id } } });
    serverA = s.body.server.id;
    await until(() => call(`${c}/v2.1/servers/${serverA}`, { token: a }), (r) => r.body?.server?.status === 'ACTIVE');
    const img = await call(`${g}/v2/images`, { method: 'POST', token: a, body: { name: 'a-private', visibility: 'private', disk_format: 'raw', container_format: 'bare' } });
    imageA = img.body.id;
    await call(`${g}/v2/images/${imageA}/file`, { method: 'PUT', token: a, raw: new Uint8Array(2048).fill(9), headers: { 'content-type': 'application/octet-stream' } });
  });
  afterAll(async () => { await t?.stop(); });

  it('refuses requests without a token with 401 in each service\'s shape', async () => {
    const compute = await call(`${c}/v2.1/servers`);
    expect(compute.status).toBe(401);
    expect(compute.body).toEqual({ unauthorized: { code: 401, message: expect.any(String) } });
    const identity = await call(`${k}/v3/projects`);
    expect(identity.status).toBe(401);
    expect(identity.body).toEqual({ error: { code: 401, title: 'Unauthorized', message: expect.any(String) } });
    expect(identity.headers.get('www-authenticate')).toBe(`Keystone uri="${k}"`);
    expect((await call(`${g}/v2/images`)).status).toBe(401);
    expect((await call(`${c}/v2.1/servers`, { token: 'not-a-token' })).status).toBe(401);
  });

  it('refuses an expired token and a revoked token with 401', async () => {
    // A cloud whose tokens live one second: a token past its expiry is refused.
    const short = await startApiCloud(0, { identity: { passwordHashCost: 10, tokenTtlSeconds: 1 } });
    try {
      const expiring = await issueToken(short.api.endpoints, 'admin', ADMIN_PASSWORD, 'admin');
      expect((await call(`${short.api.endpoints.compute}/v2.1/servers`, { token: expiring.token })).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1200));
      expect((await call(`${short.api.endpoints.compute}/v2.1/servers`, { token: expiring.token })).status).toBe(401);
      expect((await call(`${short.api.endpoints.image}/v2/images`, { token: expiring.token })).status).toBe(401);
    } finally {
      await short.stop();
    }

    const revoked = await issueToken(t.api.endpoints, 'alice', 'alice-pw', 'project-a');
    const del = await call(`${k}/v3/auth/tokens`, { method: 'DELETE', token: revoked.token, headers: { 'x-subject-token': revoked.token } });
    expect(del.status).toBe(204);
    expect((await call(`${c}/v2.1/servers/${serverA}`, { token: revoked.token })).status).toBe(401);
  });

  it('hides project A\'s server from a member of project B (404) and lets B act on nothing', async () => {
    const paths: [string, string, unknown?][] = [
      ['GET', `/v2.1/servers/${serverA}`],
      ['PUT', `/v2.1/servers/${serverA}`, { server: { name: 'stolen' } }],
      ['POST', `/v2.1/servers/${serverA}/action`, { 'os-stop': null }],
      ['POST', `/v2.1/servers/${serverA}/action`, { reboot: { type: 'HARD' } }],
      ['POST', `/v2.1/servers/${serverA}/action`, { createImage: { name: 'steal' } }],
      ['GET', `/v2.1/servers/${serverA}/metadata`],
      ['POST', `/v2.1/servers/${serverA}/metadata`, { metadata: { x: 'y' } }],
      ['GET', `/v2.1/servers/${serverA}/os-instance-actions`],
      ['DELETE', `/v2.1/servers/${serverA}`],
    ];
    for (const [method, path, body] of paths) {
      const r = await call(`${c}${path}`, { method, token: b, body });
      expect([method, path, r.status]).toEqual([method, path, 404]);
      expect(r.body.itemNotFound.code).toBe(404);
    }
    const list = await call(`${c}/v2.1/servers/detail`, { token: b });
    expect(list.body.servers).toEqual([]);
    expect((await call(`${c}/v2.1/servers?all_tenants=1`, { token: b })).status).toBe(403);
    const still = await call(`${c}/v2.1/servers/${serverA}`, { token: a });
    expect(still.body.server).toMatchObject({ name: 'a-vm', status: 'ACTIVE', metadata: {} });
    expect((await t.cloud.instanceActions.list({ ...(await t.cloud.authenticate(adminToken)) }, serverA)).map((x) => x.action)).toEqual(['create']);
  });

  it('hides project A\'s private image from project B in the image API and the compute image proxy', async () => {
    for (const [method, path, body] of [
      ['GET', `/v2/images/${imageA}`], ['GET', `/v2/images/${imageA}/file`], ['DELETE', `/v2/images/${imageA}`],
      ['GET', `/v2/images/${imageA}/members`], ['POST', `/v2/images/${imageA}/members`, { member: 'x' }],
    ] as [string, string, unknown?][]) {
      const r = await call(`${g}${path}`, { method, token: b, body });
      expect([method, path, r.status]).toEqual([method, path, 404]);
    }
    const patch = await call(`${g}/v2/images/${imageA}`, { method: 'PATCH', token: b, headers: { 'content-type': 'application/openstack-images-v2.1-json-patch' }, raw: JSON.stringify([{ op: 'replace', path: '/name', value: 'stolen' }]) });
    expect(patch.status).toBe(404);
    const listed = await call(`${g}/v2/images`, { token: b });
    expect(listed.body.images.map((i: { id: string }) => i.id)).not.toContain(imageA);
    expect((await call(`${c}/v2.1/images/${imageA}`, { token: b })).status).toBe(404);
    expect((await call(`${c}/v2.1/servers`, { method: 'POST', token: b, body: { server: { name: 'x', flavorRef: '1', imageRef: imageA } } })).status).toBe(400);
    const own = await call(`${g}/v2/images/${imageA}`, { token: a });
    expect(own.body).toMatchObject({ name: 'a-private', status: 'active' });
  });

  it('keeps identity management to admins: a member gets 403 and cannot see another user\'s token', async () => {
    expect((await call(`${k}/v3/projects`, { method: 'POST', token: b, body: { project: { name: 'mine' } } })).status).toBe(403);
    expect((await call(`${k}/v3/role_assignments`, { token: b })).status).toBe(403);
    const other = await call(`${k}/v3/auth/tokens`, { token: b, headers: { 'x-subject-token': a } });
    expect(other.status).toBe(403);
    expect((await t.cloud.identity.listProjects({ name: 'mine' }))).toEqual([]);
  });
});
