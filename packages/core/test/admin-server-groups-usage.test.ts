import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequest, Forbidden, NotFound, QuotaExceeded, TOKENS, type HostStateCache, type RequestContext } from '@nubo/core';
import { ADMIN_TOKENS } from '../src/composition/admin-tokens.js';
import type { QuotaSetService } from '../src/services/api/quota-set-service.js';
import type { ServerGroupService } from '../src/services/api/server-group-service.js';
import { UsageService } from '../src/services/api/usage-service.js';
import { newProjectMember, startTestCloud, waitFor, type TestCloud } from './support/start-test-cloud.js';

let t: TestCloud;
let groups: ServerGroupService;
let a: RequestContext;
let b: RequestContext;

beforeAll(async () => {
  t = await startTestCloud(1);
  groups = t.cloud.container.get(ADMIN_TOKENS.ServerGroups);
  a = await newProjectMember(t.cloud, 'sg-a');
  b = await newProjectMember(t.cloud, 'sg-b');
  const cache = t.cloud.container.get<HostStateCache>(TOKENS.HostStateCache);
  await waitFor(() => cache.candidates(), (c) => c.length === 1 && c.every((h) => h.serviceUp && !h.serviceDisabled));
});
afterAll(() => t?.stop());

describe('server groups', () => {
  it('creates groups with each policy, and rules only with anti-affinity', async () => {
    for (const policy of ['affinity', 'anti-affinity', 'soft-affinity', 'soft-anti-affinity'] as const) {
      expect(await groups.create(a, { name: `g-${policy}`, policy })).toMatchObject({
        name: `g-${policy}`, policy, rules: {}, members: [], projectId: a.projectId, userId: a.userId,
      });
    }
    expect((await groups.create(a, { name: 'spread', policy: 'anti-affinity', rules: { max_server_per_host: 2 } })).rules).toEqual({ max_server_per_host: 2 });
    await expect(groups.create(a, { name: 'x', policy: 'affinity', rules: { max_server_per_host: 2 } })).rejects.toThrow('Only anti-affinity policy supports rules.');
  });

  it.each([
    [{ name: '', policy: 'affinity' }],
    [{ name: 'x', policy: 'together' }],
    [{ name: 'x', policy: 'anti-affinity', rules: { max_server_per_host: 0 } }],
    [{ name: 'x', policy: 'anti-affinity', rules: { other: 1 } }],
  ])('refuses %j with 400', async (input) => {
    await expect(groups.create(a, input as never)).rejects.toBeInstanceOf(BadRequest);
  });

  it("lists a project's own groups; an admin may list all projects", async () => {
    await groups.create(b, { name: 'b-group', policy: 'affinity' });
    expect((await groups.list(b)).map((g) => g.name)).toEqual(['b-group']);
    expect((await groups.list(a)).length).toBe(5);
    expect((await groups.list(a, { allProjects: true })).length).toBe(5);
    expect((await groups.list(t.admin, { allProjects: true })).length).toBe(6);
    expect((await groups.list(a, { limit: 2, offset: 1 })).map((g) => g.name)).toEqual(['g-anti-affinity', 'g-soft-affinity']);
  });

  it("hides another project's group (404) and lets its owner delete it", async () => {
    const [g] = await groups.list(b);
    await expect(groups.get(a, g!.id)).rejects.toThrow(`Instance group ${g!.id} could not be found.`);
    await expect(groups.delete(a, g!.id)).rejects.toBeInstanceOf(NotFound);
    expect((await groups.get(t.admin, g!.id)).name).toBe('b-group');
    await groups.delete(b, g!.id);
    await expect(groups.get(b, g!.id)).rejects.toBeInstanceOf(NotFound);
  });

  it('enforces the server_groups quota: over it is 403 and nothing is written', async () => {
    const quotas = t.cloud.container.get<QuotaSetService>(ADMIN_TOKENS.QuotaSets);
    await quotas.update(t.admin, b.projectId, { server_groups: 1 });
    await groups.create(b, { name: 'one', policy: 'affinity' });
    const err = await groups.create(b, { name: 'two', policy: 'affinity' }).catch((e) => e);
    expect(err).toBeInstanceOf(QuotaExceeded);
    expect(err.message).toBe('Quota exceeded, too many server groups.');
    expect((await groups.list(b)).map((g) => g.name)).toEqual(['one']);
  });
});

describe('server group members', () => {
  it('gives the scheduler the group with its members and hosts, and enforces server_group_members', async () => {
    const quotas = t.cloud.container.get<QuotaSetService>(ADMIN_TOKENS.QuotaSets);
    const c = await newProjectMember(t.cloud, 'sg-c');
    await quotas.update(t.admin, c.projectId, { server_group_members: 1 });
    const g = await groups.create(c, { name: 'pair', policy: 'anti-affinity', rules: { max_server_per_host: 1 } });
    expect(await groups.instanceGroupFor(c, g.id, 1)).toEqual({ policy: 'anti-affinity', members: [], hosts: [], rules: { max_server_per_host: 1 } });
    const { servers } = await t.cloud.computeApi.createServers(c, { name: 'member-vm', flavorRef: '1', imageRef: t.imageId, networks: 'none' });
    const uuid = servers[0]!.instance.uuid;
    await groups.addMembers(g.id, [uuid]);
    const active = await waitFor(() => t.cloud.computeApi.getServer(c, uuid), (s) => s.status === 'ACTIVE');
    expect((await groups.get(c, g.id)).members).toEqual([uuid]);
    await expect(groups.instanceGroupFor(c, g.id, 1)).rejects.toThrow('Quota exceeded, too many servers in group');
    await expect(groups.addMembers(g.id, ['not-an-instance-but-counted-only-if-live'])).resolves.toBeUndefined();
    await expect(groups.instanceGroupFor(a, g.id, 0)).rejects.toBeInstanceOf(NotFound);
    await quotas.update(t.admin, c.projectId, { server_group_members: 5 });
    expect((await groups.instanceGroupFor(c, g.id, 1)).hosts).toEqual([active.instance.host]);
    await t.cloud.computeApi.deleteServer(c, uuid);
    await waitFor(() => groups.get(c, g.id), (x) => x.members.length === 0);
  });
});

describe('simple tenant usage', () => {
  it("reports a project's server hours over a period, and all projects to an admin only", async () => {
    const start = new Date(Date.now() - 3_600_000);
    const { servers } = await t.cloud.computeApi.createServers(a, { name: 'usage-vm', flavorRef: '2', imageRef: t.imageId, networks: 'none' });
    const uuid = servers[0]!.instance.uuid;
    await waitFor(() => t.cloud.computeApi.getServer(a, uuid), (s) => s.status === 'ACTIVE');
    // A clock two hours ahead: the server has run about two hours of the period.
    const later = new Date(Date.now() + 2 * 3_600_000);
    const usage = new UsageService(t.cloud.database, t.cloud.container.get(TOKENS.PolicyEngine), () => later);
    const mine = (await usage.show(a, a.projectId, { start, end: later }))!;
    expect(mine.tenantId).toBe(a.projectId);
    expect(mine.totalHours).toBeGreaterThan(1.99);
    expect(mine.totalHours).toBeLessThan(2.01);
    expect(mine.totalVcpusUsage).toBeCloseTo(mine.totalHours * 1, 6);
    expect(mine.totalMemoryMbUsage).toBeCloseTo(mine.totalHours * 2048, 6);
    expect(mine.totalLocalGbUsage).toBeCloseTo(mine.totalHours * 20, 6);
    expect(mine.serverUsages).toHaveLength(1);
    expect(mine.serverUsages![0]).toMatchObject({ instanceId: uuid, name: 'usage-vm', flavor: 'm1.small', state: 'active', endedAt: null, vcpus: 1, memoryMb: 2048, localGb: 20 });

    await expect(usage.show(a, b.projectId, { start, end: later })).rejects.toBeInstanceOf(Forbidden);
    await expect(usage.list(a, { start, end: later })).rejects.toBeInstanceOf(Forbidden);
    const all = await usage.list(t.admin, { start, end: later });
    const ofA = all.find((u) => u.tenantId === a.projectId)!;
    expect(ofA.totalHours).toBeCloseTo(mine.totalHours, 6);
    expect(ofA).not.toHaveProperty('serverUsages');
    const detailed = await usage.list(t.admin, { start, end: later, detailed: true });
    expect(detailed.find((u) => u.tenantId === a.projectId)!.serverUsages!.map((s) => s.instanceId)).toEqual([uuid]);
  });

  it('counts a deleted server up to its deletion', async () => {
    const start = new Date(Date.now() - 1000);
    const { servers } = await t.cloud.computeApi.createServers(b, { name: 'short', flavorRef: '1', imageRef: t.imageId, networks: 'none' });
    const uuid = servers[0]!.instance.uuid;
    await waitFor(() => t.cloud.computeApi.getServer(b, uuid), (s) => s.status === 'ACTIVE');
    await t.cloud.computeApi.deleteServer(b, uuid);
    await waitFor(() => t.cloud.computeApi.getServer(b, uuid).then(() => false, () => true), (gone) => gone);
    const later = new Date(Date.now() + 3_600_000);
    const usage = new UsageService(t.cloud.database, t.cloud.container.get(TOKENS.PolicyEngine), () => later);
    const u = (await usage.show(b, b.projectId, { start, end: later }))!;
    expect(u.serverUsages![0]).toMatchObject({ instanceId: uuid, state: 'terminated' });
    expect(u.totalHours).toBeLessThan(0.1);
  });

  it('refuses a period that ends before it starts, and returns nothing for a project without servers', async () => {
    const usage = t.cloud.container.get<UsageService>(ADMIN_TOKENS.Usage);
    const now = new Date();
    await expect(usage.show(a, a.projectId, { start: now, end: new Date(now.getTime() - 1000) })).rejects.toThrow(
      'Invalid start time. The start time cannot occur after the end time.',
    );
    expect(await usage.show(t.admin, 'empty-project', { start: new Date(now.getTime() - 1000), end: now })).toBeNull();
  });
});
