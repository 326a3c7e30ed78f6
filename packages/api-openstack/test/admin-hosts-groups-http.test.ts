import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, type HostStateCache } from '@nubo/core';
import { ensureAdminServices, memberToken } from './admin-support.js';
import { call, issueToken, until } from './support/http-client.js';
import { ADMIN_PASSWORD, startApiCloud, type ApiCloud } from './support/start-api-cloud.js';

let t: ApiCloud;
let admin: string;
let member: { token: string; projectId: string; userId: string };
let other: { token: string; projectId: string; userId: string };
let compute: string;

beforeAll(async () => {
  t = await startApiCloud(2);
  await ensureAdminServices(t.cloud);
  compute = `${t.api.endpoints.compute}/v2.1`;
  admin = (await issueToken(t.api.endpoints, 'admin', ADMIN_PASSWORD, 'admin')).token;
  member = await memberToken(t.cloud, t.api.endpoints, 'http-hosts-a');
  other = await memberToken(t.cloud, t.api.endpoints, 'http-hosts-b');
  await until(() => call(`${compute}/os-hypervisors`, { token: admin }), (r) => r.body?.hypervisors?.length === 2);
});
afterAll(() => t?.stop());

describe('admin-only APIs refuse a member with 403', () => {
  it.each([
    ['GET', '/os-hypervisors'], ['GET', '/os-hypervisors/detail'], ['GET', '/os-hypervisors/statistics'],
    ['GET', '/os-services'], ['PUT', '/os-services/disable'], ['GET', '/os-availability-zone/detail'],
    ['GET', '/os-simple-tenant-usage'], ['POST', '/flavors'], ['DELETE', '/flavors/1'], ['PUT', '/os-quota-sets/PROJECT'],
    ['DELETE', '/os-quota-sets/PROJECT'],
  ])('%s %s', async (method, path) => {
    const bodies: Record<string, unknown> = {
      '/os-services/disable': { host: 'compute1', binary: 'nova-compute' },
      '/flavors': { flavor: { name: 'nope', ram: 1, vcpus: 1, disk: 0 } },
      '/os-quota-sets/PROJECT': { quota_set: { instances: 99 } },
    };
    const r = await call(`${compute}${path.replace('PROJECT', member.projectId)}`, { method, token: member.token, body: method === 'GET' || method === 'DELETE' ? undefined : bodies[path] });
    expect(r.status).toBe(403);
    expect(r.body.forbidden.code).toBe(403);
  });

  it("refuses another project's quotas and limits", async () => {
    expect((await call(`${compute}/os-quota-sets/${other.projectId}`, { token: member.token })).status).toBe(403);
    expect((await call(`${compute}/os-quota-sets/${other.projectId}/detail`, { token: member.token })).status).toBe(403);
    expect((await call(`${compute}/limits?tenant_id=${other.projectId}`, { token: member.token })).status).toBe(403);
    expect((await call(`${compute}/os-simple-tenant-usage/${other.projectId}`, { token: member.token })).status).toBe(403);
  });
});

describe('quota sets and limits over HTTP', () => {
  it('shows, updates, details and resets quotas in Nova shapes', async () => {
    const shown = await call(`${compute}/os-quota-sets/${member.projectId}`, { token: member.token });
    expect(shown.body.quota_set).toEqual({
      id: member.projectId, cores: 20, fixed_ips: -1, floating_ips: 10, injected_file_content_bytes: 10240, injected_file_path_bytes: 255,
      injected_files: 5, instances: 10, key_pairs: 100, metadata_items: 128, ram: 51200, server_group_members: 10, server_groups: 10,
    });
    const updated = await call(`${compute}/os-quota-sets/${member.projectId}`, { method: 'PUT', token: admin, body: { quota_set: { instances: '4', cores: 8 } } });
    expect(updated.status).toBe(200);
    expect(updated.body.quota_set).toMatchObject({ instances: 4, cores: 8 });
    expect(updated.body.quota_set).not.toHaveProperty('id');
    const detail = await call(`${compute}/os-quota-sets/${member.projectId}/detail`, { token: member.token });
    expect(detail.body.quota_set.instances).toEqual({ in_use: 0, limit: 4, reserved: 0 });
    expect((await call(`${compute}/os-quota-sets/${member.projectId}/defaults`, { token: member.token })).body.quota_set.instances).toBe(10);
    const bad = await call(`${compute}/os-quota-sets/${member.projectId}`, { method: 'PUT', token: admin, body: { quota_set: { instances: -5 } } });
    expect(bad.status).toBe(400);
    expect((await call(`${compute}/os-quota-sets/${member.projectId}`, { method: 'PUT', token: admin, body: { quota_set: { nonsense: 1 } } })).status).toBe(400);
    expect((await call(`${compute}/os-quota-sets/${member.projectId}`, { method: 'DELETE', token: admin })).status).toBe(202);
    expect((await call(`${compute}/os-quota-sets/${member.projectId}`, { token: member.token })).body.quota_set.instances).toBe(10);
  });

  it('reports absolute limits with rate: []', async () => {
    const r = await call(`${compute}/limits`, { token: member.token });
    expect(r.body.limits.rate).toEqual([]);
    expect(r.body.limits.absolute).toMatchObject({ maxTotalInstances: 10, maxTotalCores: 20, maxTotalRAMSize: 51200, totalInstancesUsed: 0, totalServerGroupsUsed: 0 });
    expect(r.body.limits.absolute).not.toHaveProperty('totalKeyPairsUsed');
  });
});

describe('hypervisors, services and zones over HTTP', () => {
  it('lists hypervisors, details and statistics', async () => {
    const list = await call(`${compute}/os-hypervisors`, { token: admin });
    expect(list.body.hypervisors.map((h: any) => Object.keys(h).sort())[0]).toEqual(['hypervisor_hostname', 'id', 'state', 'status']);
    const detail = await call(`${compute}/os-hypervisors/detail`, { token: admin });
    const h = detail.body.hypervisors[0];
    expect(h).toMatchObject({ state: 'up', status: 'enabled', vcpus: 32, memory_mb: 65536, local_gb: 2000, service: { host: expect.stringMatching(/^compute/) } });
    expect(typeof h.id).toBe('number');
    expect(typeof h.cpu_info).toBe('string');
    expect((await call(`${compute}/os-hypervisors/${h.id}`, { token: admin })).body.hypervisor.hypervisor_hostname).toBe(h.hypervisor_hostname);
    expect((await call(`${compute}/os-hypervisors/${h.id}/uptime`, { token: admin })).status).toBe(501);
    expect((await call(`${compute}/os-hypervisors/424242`, { token: admin })).status).toBe(404);
    const stats = await call(`${compute}/os-hypervisors/statistics`, { token: admin });
    expect(stats.body.hypervisor_statistics).toMatchObject({ count: 2, vcpus: 64, memory_mb: 131072, local_gb: 4000 });
    const search = await call(`${compute}/os-hypervisors/${encodeURIComponent(h.hypervisor_hostname)}/search`, { token: admin });
    expect(search.body.hypervisors.map((x: any) => x.id)).toContain(h.id);
  });

  it('lists services, disables one with a reason and enables it again (pre-2.53 paths)', async () => {
    const list = await call(`${compute}/os-services?binary=nova-compute`, { token: admin });
    expect(list.body.services).toHaveLength(2);
    expect(list.body.services[0]).toMatchObject({ binary: 'nubo-compute', zone: 'nova', status: 'enabled', state: 'up', disabled_reason: null });
    expect(list.body.services[0]).not.toHaveProperty('forced_down');
    const off = await call(`${compute}/os-services/disable-log-reason`, { method: 'PUT', token: admin, body: { host: 'compute1', binary: 'nova-compute', disabled_reason: 'maint' } });
    expect(off.body).toEqual({ service: { host: 'compute1', binary: 'nova-compute', status: 'disabled', disabled_reason: 'maint' } });
    const shown = await call(`${compute}/os-services?host=compute1`, { token: admin });
    expect(shown.body.services[0]).toMatchObject({ status: 'disabled', disabled_reason: 'maint' });
    expect((await call(`${compute}/os-hypervisors/statistics`, { token: admin })).body.hypervisor_statistics.count).toBe(1);
    const on = await call(`${compute}/os-services/enable`, { method: 'PUT', token: admin, body: { host: 'compute1', binary: 'nova-compute' } });
    expect(on.body.service.status).toBe('enabled');
    expect((await call(`${compute}/os-services/enable`, { method: 'PUT', token: admin, body: { host: 'ghost', binary: 'nova-compute' } })).status).toBe(404);
    expect((await call(`${compute}/os-services/frobnicate`, { method: 'PUT', token: admin, body: { host: 'compute1', binary: 'nova-compute' } })).status).toBe(404);
    expect((await call(`${compute}/os-services/disable`, { method: 'PUT', token: admin, body: { host: 'compute1' } })).status).toBe(400);
  });

  it('lists availability zones for members and details for admins', async () => {
    expect((await call(`${compute}/os-availability-zone`, { token: member.token })).body).toEqual({
      availabilityZoneInfo: [{ zoneName: 'nova', zoneState: { available: true }, hosts: null }],
    });
    const detail = await call(`${compute}/os-availability-zone/detail`, { token: admin });
    expect(Object.keys(detail.body.availabilityZoneInfo[0].hosts).sort()).toEqual(['compute1', 'compute2']);
    expect(detail.body.availabilityZoneInfo[0].hosts.compute1['nubo-compute']).toMatchObject({ available: true, active: true });
  });
});

describe('server groups and usage over HTTP', () => {
  it('creates, lists, shows and deletes a server group (2.1 shape)', async () => {
    const created = await call(`${compute}/os-server-groups`, { method: 'POST', token: member.token, body: { server_group: { name: 'web', policies: ['anti-affinity'] } } });
    expect(created.status).toBe(200);
    expect(created.body.server_group).toEqual({ id: expect.any(String), name: 'web', policies: ['anti-affinity'], metadata: {}, members: [] });
    const id = created.body.server_group.id;
    expect((await call(`${compute}/os-server-groups`, { token: member.token })).body.server_groups.map((g: any) => g.id)).toEqual([id]);
    expect((await call(`${compute}/os-server-groups`, { token: other.token })).body.server_groups).toEqual([]);
    expect((await call(`${compute}/os-server-groups/${id}`, { token: other.token })).status).toBe(404);
    expect((await call(`${compute}/os-server-groups/${id}`, { token: member.token })).body.server_group.name).toBe('web');
    const soft = await call(`${compute}/os-server-groups`, { method: 'POST', token: member.token, body: { server_group: { name: 's', policies: ['soft-affinity'] } } });
    expect(soft.status).toBe(400);
    const wrong = await call(`${compute}/os-server-groups`, { method: 'POST', token: member.token, body: { server_group: { name: 's', policy: 'affinity' } } });
    expect(wrong.status).toBe(400);
    expect((await call(`${compute}/os-server-groups/${id}`, { method: 'DELETE', token: member.token })).status).toBe(204);
    expect((await call(`${compute}/os-server-groups/${id}`, { token: member.token })).status).toBe(404);
  });

  it("reports a project's usage with server_usages", async () => {
    const ctx = await t.cloud.authenticate(admin);
    const image = await t.cloud.images.create(ctx, { name: 'usage-img', diskFormat: 'raw', containerFormat: 'bare', visibility: 'public' });
    await t.cloud.images.upload(ctx, image.id, (async function* () { yield new Uint8Array(1024).fill(1); })());
    const hostCache = t.cloud.container.get<HostStateCache>(TOKENS.HostStateCache);
    await until(() => hostCache.candidates(), (c) => c.length === 2 && c.every((h) => h.serviceUp && !h.serviceDisabled));
    const start = new Date(Date.now() - 60_000).toISOString().slice(0, 19);
    const created = await call(`${compute}/servers`, { method: 'POST', token: member.token, body: { server: { name: 'u1', flavorRef: '1', imageRef: image.id, networks: 'none' } } });
    expect(created.status).toBe(202);
    const id = created.body.server.id;
    await until(() => call(`${compute}/servers/${id}`, { token: member.token }), (r) => r.body?.server?.status === 'ACTIVE');
    const end = new Date(Date.now() + 60_000).toISOString().slice(0, 19);
    const r = await call(`${compute}/os-simple-tenant-usage/${member.projectId}?start=${start}&end=${end}`, { token: member.token });
    expect(r.body.tenant_usage).toMatchObject({ tenant_id: member.projectId, server_usages: [{ instance_id: id, name: 'u1', flavor: 'm1.tiny', state: 'active', vcpus: 1, memory_mb: 512, local_gb: 1 }] });
    const all = await call(`${compute}/os-simple-tenant-usage?start=${start}&end=${end}&detailed=1`, { token: admin });
    expect(all.body.tenant_usages.map((u: any) => u.tenant_id)).toEqual([member.projectId]);
    expect((await call(`${compute}/os-simple-tenant-usage?start=yesterday`, { token: admin })).status).toBe(400);
  });
});
