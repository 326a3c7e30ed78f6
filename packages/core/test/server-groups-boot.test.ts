import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKENS, FilterWeighSelector, RamFilter, type HostFilter, type ServerGroupService } from '@nubo/core';
import { startTestCloud, waitFor, type TestCloud } from './support/start-test-cloud.js';

/** A minimal anti-affinity rule, so this test needs nothing beyond core. */
const antiAffinity: HostFilter = {
  name: 'TestAntiAffinity',
  hostPasses: (host, spec) => spec.instanceGroup?.policy !== 'anti-affinity' || !spec.instanceGroup.hosts.includes(host.host),
};

describe('server groups reach the scheduler', () => {
  let t: TestCloud;
  beforeAll(async () => {
    t = await startTestCloud(2, { hostSelector: new FilterWeighSelector([new RamFilter(), antiAffinity], []) });
  });
  afterAll(async () => { await t.stop(); });

  it('an anti-affinity group spreads one request over hosts, records members, and refuses a third host', async () => {
    const groups = t.cloud.container.get<ServerGroupService>(ADMIN_TOKENS.ServerGroups);
    const group = await groups.create(t.admin, { name: 'spread', policy: 'anti-affinity' } as never);
    const groupId = (group as { uuid?: string; id?: string }).uuid ?? (group as { id: string }).id;
    const { servers } = await t.cloud.computeApi.createServers(t.admin, { name: 'g', flavorRef: '1', imageRef: t.imageId, minCount: 2, schedulerHints: { group: groupId } });
    const views = await Promise.all(servers.map((s) => waitFor(() => t.cloud.computeApi.getServer(t.admin, s.instance.uuid), (v) => v.status !== 'BUILD')));
    expect(views.map((v) => v.status)).toEqual(['ACTIVE', 'ACTIVE']);
    expect(new Set(views.map((v) => v.instance.host)).size).toBe(2);
    const third = await t.cloud.computeApi.createServers(t.admin, { name: 'g3', flavorRef: '1', imageRef: t.imageId, groupId });
    const v3 = await waitFor(() => t.cloud.computeApi.getServer(t.admin, third.servers[0]!.instance.uuid), (v) => v.status !== 'BUILD');
    expect(v3.status).toBe('ERROR');
    expect(v3.fault?.message).toMatch(/No valid host/);
  });

  it('an unknown group is refused before anything is written', async () => {
    const before = (await t.cloud.computeApi.listServers(t.admin)).length;
    await expect(t.cloud.computeApi.createServers(t.admin, { name: 'x', flavorRef: '1', imageRef: t.imageId, groupId: '00000000-0000-0000-0000-00000000abcd' }))
      .rejects.toMatchObject({ status: 404 });
    expect((await t.cloud.computeApi.listServers(t.admin)).length).toBe(before);
  });
});
