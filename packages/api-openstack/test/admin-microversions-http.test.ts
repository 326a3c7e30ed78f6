import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, type Logger } from '@nubo/core';
import { createApp, requestContext } from '../src/http/create-app.js';
import { ADMIN_ROUTE_MODULES } from '../src/compute/admin-routes.js';
import { isMicroversionAtLeast } from '../src/compute/microversion.js';
import type { ComputeRouteDeps } from '../src/compute/route-deps.js';
import { ensureAdminServices, memberToken } from './admin-support.js';
import { issueToken } from './support/http-client.js';
import { ADMIN_PASSWORD, startApiCloud, type ApiCloud } from './support/start-api-cloud.js';

// The public API negotiates up to its declared maximum; these tests mount the admin route
// modules on an app that takes any microversion from a test header, so the shapes of later
// microversions are checked before the maximum is raised to them.
let t: ApiCloud;
let app: FastifyInstance;
let admin: string;
let member: { token: string; projectId: string; userId: string };

beforeAll(async () => {
  t = await startApiCloud(1);
  await ensureAdminServices(t.cloud);
  app = createApp({ cloud: t.cloud, logger: t.cloud.container.get<Logger>(TOKENS.Logger), dialect: 'nova' });
  app.addHook('preValidation', async (req) => {
    const v = String(req.headers['x-test-microversion'] ?? '2.1').split('.').map(Number);
    req.microversion = [v[0]!, v[1]!];
  });
  const deps: ComputeRouteDeps = { cloud: t.cloud, requestContext, isMicroversionAtLeast, publicUrl: () => 'http://compute.test', imageUrl: () => 'http://image.test' };
  for (const register of ADMIN_ROUTE_MODULES) register(app, deps);
  await app.ready();
  admin = (await issueToken(t.api.endpoints, 'admin', ADMIN_PASSWORD, 'admin')).token;
  member = await memberToken(t.cloud, t.api.endpoints, 'mv-member');
});
afterAll(async () => {
  await app?.close();
  await t?.stop();
});

async function req(version: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, token: string, payload?: unknown) {
  const r = await app.inject({ method, url: `/v2.1${url}`, headers: { 'x-auth-token': token, 'x-test-microversion': version }, payload: payload as never });
  return { status: r.statusCode, body: r.body ? JSON.parse(r.body) : null };
}

describe('admin routes at later microversions', () => {
  it('flavors: description from 2.55, extra_specs from 2.61, numeric swap from 2.75', async () => {
    expect((await req('2.54', 'GET', '/flavors/1', member.token)).body.flavor).not.toHaveProperty('description');
    const f55 = (await req('2.55', 'GET', '/flavors/1', member.token)).body.flavor;
    expect(f55).toMatchObject({ description: null, swap: '' });
    expect(f55).not.toHaveProperty('extra_specs');
    expect((await req('2.61', 'GET', '/flavors/1', member.token)).body.flavor.extra_specs).toEqual({});
    expect((await req('2.75', 'GET', '/flavors/1', member.token)).body.flavor.swap).toBe(0);
    expect((await req('2.55', 'GET', '/flavors', member.token)).body.flavors[0]).toEqual({
      id: '1', name: 'm1.tiny', description: null, links: expect.any(Array),
    });
    const created = await req('2.55', 'POST', '/flavors', admin, { flavor: { name: 'mv.desc', ram: 64, vcpus: 1, disk: 0, description: 'small' } });
    expect(created.body.flavor).toMatchObject({ name: 'mv.desc', description: 'small' });
    expect((await req('2.54', 'PUT', `/flavors/${created.body.flavor.id}`, admin, { flavor: { description: 'x' } })).status).toBe(404);
    const updated = await req('2.55', 'PUT', `/flavors/${created.body.flavor.id}`, admin, { flavor: { description: 'tiny' } });
    expect(updated.body.flavor.description).toBe('tiny');
  });

  it('keypairs: type from 2.2 (201/204), user_id for admins from 2.10, paging links from 2.35', async () => {
    const created = await req('2.2', 'POST', '/os-keypairs', member.token, { keypair: { name: 'mv-a', type: 'ssh' } });
    expect(created.status).toBe(201);
    expect(created.body.keypair).toMatchObject({ name: 'mv-a', type: 'ssh', user_id: member.userId });
    await req('2.2', 'POST', '/os-keypairs', member.token, { keypair: { name: 'mv-b' } });
    expect((await req('2.2', 'GET', '/os-keypairs', member.token)).body.keypairs[0].keypair.type).toBe('ssh');
    const forMember = await req('2.10', 'POST', '/os-keypairs', admin, { keypair: { name: 'mv-by-admin', user_id: member.userId } });
    expect(forMember.body.keypair.user_id).toBe(member.userId);
    expect((await req('2.10', 'POST', '/os-keypairs', member.token, { keypair: { name: 'x', user_id: 'someone-else' } })).status).toBe(403);
    expect((await req('2.10', 'GET', `/os-keypairs?user_id=${member.userId}`, admin)).body.keypairs).toHaveLength(3);
    const page = await req('2.35', 'GET', '/os-keypairs?limit=1', member.token);
    expect(page.body.keypairs.map((k: any) => k.keypair.name)).toEqual(['mv-a']);
    expect(page.body.keypairs_links[0].href).toBe('http://compute.test/v2.1/os-keypairs?limit=1&marker=mv-a');
    expect((await req('2.35', 'GET', '/os-keypairs?limit=5&marker=mv-a', member.token)).body.keypairs.map((k: any) => k.keypair.name)).toEqual(['mv-b', 'mv-by-admin']);
    expect((await req('2.2', 'DELETE', '/os-keypairs/mv-a', member.token)).status).toBe(204);
  });

  it('quota sets and limits drop network and personality keys at 2.36 and 2.57', async () => {
    const q36 = (await req('2.36', 'GET', `/os-quota-sets/${member.projectId}`, member.token)).body.quota_set;
    expect(q36).not.toHaveProperty('fixed_ips');
    expect(q36).toHaveProperty('injected_files');
    const q57 = (await req('2.57', 'GET', `/os-quota-sets/${member.projectId}`, member.token)).body.quota_set;
    expect(Object.keys(q57).sort()).toEqual(['cores', 'id', 'instances', 'key_pairs', 'metadata_items', 'ram', 'server_group_members', 'server_groups']);
    expect((await req('2.57', 'PUT', `/os-quota-sets/${member.projectId}`, admin, { quota_set: { injected_files: 3 } })).status).toBe(400);
    const l = (await req('2.57', 'GET', '/limits', member.token)).body.limits.absolute;
    expect(l).not.toHaveProperty('maxTotalFloatingIps');
    expect(l).not.toHaveProperty('maxImageMeta');
    expect(l).not.toHaveProperty('maxPersonality');
    expect(l.maxServerMeta).toBe(128);
  });

  it('hypervisors and services: UUID ids from 2.53, forced_down from 2.11, uptime field from 2.88', async () => {
    const list = (await req('2.53', 'GET', '/os-hypervisors/detail', admin)).body.hypervisors;
    expect(list[0].id).toMatch(/^[0-9a-f-]{36}$/);
    expect(list[0].service.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(typeof list[0].cpu_info).toBe('object');
    const one = await req('2.53', 'GET', `/os-hypervisors/${list[0].id}?with_servers=true`, admin);
    expect(one.body.hypervisor.hypervisor_hostname).toBe(list[0].hypervisor_hostname);
    expect((await req('2.53', 'GET', '/os-hypervisors/1', admin)).status).toBe(400);
    const h88 = (await req('2.88', 'GET', '/os-hypervisors/detail', admin)).body.hypervisors[0];
    expect(h88).toHaveProperty('uptime', null);
    expect(h88).not.toHaveProperty('vcpus');
    expect((await req('2.88', 'GET', '/os-hypervisors/statistics', admin)).status).toBe(404);
    const services = (await req('2.11', 'GET', '/os-services', admin)).body.services;
    expect(services[0]).toHaveProperty('forced_down', false);
    const svc = (await req('2.53', 'GET', '/os-services', admin)).body.services[0];
    const down = await req('2.53', 'PUT', `/os-services/${svc.id}`, admin, { forced_down: true });
    expect(down.body.service).toMatchObject({ id: svc.id, forced_down: true, state: 'down' });
    const up = await req('2.53', 'PUT', `/os-services/${svc.id}`, admin, { forced_down: false, status: 'disabled', disabled_reason: 'why not' });
    expect(up.body.service).toMatchObject({ forced_down: false, status: 'disabled', disabled_reason: 'why not' });
    expect((await req('2.53', 'PUT', `/os-services/${svc.id}`, admin, { status: 'enabled' })).body.service.status).toBe('enabled');
    expect((await req('2.53', 'PUT', `/os-services/${svc.id}`, admin, {})).status).toBe(400);
    expect((await req('2.53', 'PUT', '/os-services/enable', admin, { host: 'compute1', binary: 'nova-compute' })).status).toBe(400);
    expect((await req('2.11', 'PUT', '/os-services/force-down', admin, { host: 'compute1', binary: 'nova-compute', forced_down: true })).body)
      .toEqual({ service: { host: 'compute1', binary: 'nova-compute', forced_down: true } });
    await req('2.11', 'PUT', '/os-services/force-down', admin, { host: 'compute1', binary: 'nova-compute', forced_down: false });
  });

  it('server groups: soft policies from 2.15, project and user from 2.13, policy and rules from 2.64', async () => {
    const soft = await req('2.15', 'POST', '/os-server-groups', member.token, { server_group: { name: 'soft', policies: ['soft-affinity'] } });
    expect(soft.body.server_group).toMatchObject({ policies: ['soft-affinity'], project_id: member.projectId, user_id: member.userId });
    const g = await req('2.64', 'POST', '/os-server-groups', member.token, { server_group: { name: 'spread', policy: 'anti-affinity', rules: { max_server_per_host: 3 } } });
    expect(g.body.server_group).toEqual({
      id: expect.any(String), name: 'spread', policy: 'anti-affinity', rules: { max_server_per_host: 3 }, members: [],
      project_id: member.projectId, user_id: member.userId,
    });
    expect((await req('2.64', 'POST', '/os-server-groups', member.token, { server_group: { name: 'x', policies: ['affinity'] } })).status).toBe(400);
    expect((await req('2.64', 'POST', '/os-server-groups', member.token, { server_group: { name: 'x', policy: 'affinity', rules: { max_server_per_host: 2 } } })).status).toBe(400);
  });
});
