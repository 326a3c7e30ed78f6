import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InstanceSchema, TOKENS, type QuotaEngine, type ServerView } from '@nubo/core';
import { startTestCloud, waitFor, withRequest, type TestCloud } from './support/start-test-cloud.js';

describe('the boot flow of the seed, step for step', () => {
  let t: TestCloud;
  beforeEach(async () => { t = await startTestCloud(2); });
  afterEach(async () => { await t.stop(); });

  const status = (uuid: string) => t.cloud.computeApi.getServer(t.admin, uuid);
  const untilSettled = (uuid: string) => waitFor(() => status(uuid), (v: ServerView) => v.status !== 'BUILD');

  it('takes a server from token to ACTIVE, every step recorded in order under one request id', async () => {
    const ctx = await t.cloud.authenticate(t.admin.authToken!, 'req-boot-1');
    const { servers } = await t.cloud.computeApi.createServers(ctx, { name: 'vm1', flavorRef: '1', imageRef: t.imageId });
    const uuid = servers[0]!.instance.uuid;
    expect(servers[0]!.status).toBe('BUILD');
    const done = await untilSettled(uuid);
    expect(done.status).toBe('ACTIVE');
    expect(done.instance.powerState).toBe(1);
    expect(done.addresses).toHaveLength(1);
    expect(done.addresses[0]!.address).toMatch(/^10\.100\.\d+\.\d+$/);

    // The host records the end of its build just after the server turns ACTIVE.
    const action = await waitFor(() => t.cloud.instanceActions.get(t.admin, uuid, 'req-boot-1'),
      (a) => a.events.length === 8 && a.events.every((e) => e.result !== null));
    expect(action.action).toBe('create');
    expect(action.events.map((e) => e.event)).toEqual([
      'conductor_build_instances',
      'scheduler_select_destinations',
      'compute_build_and_run_instance',
      'compute_instance_get_for_build',
      'compute_image_lookup',
      'compute_allocate_network',
      'compute_prep_block_device',
      'compute_spawn',
    ]);
    expect(action.events.map((e) => [e.event, e.result])).toEqual(action.events.map((e) => [e.event, 'Success']));

    const mine = t.logs.filter((l) => l.requestId === 'req-boot-1').map((l) => l.msg);
    const order = ['token validated', 'servers accepted', 'selected destinations', 'casting build to compute host', 'instance spawned'];
    const positions = order.map((m) => mine.indexOf(m));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    const driver = t.drivers[Number(done.instance.host!.replace('compute', '')) - 1]!;
    expect(await driver.listInstances()).toContain(uuid);
  });

  it('reschedules a build whose spawn fails to another host, where it becomes ACTIVE', async () => {
    t.drivers[0]!.failSpawn({ always: true });
    const { servers } = await t.cloud.computeApi.createServers(withRequest(t.admin, 'req-resched'), { name: 'vm', flavorRef: '1', imageRef: t.imageId, minCount: 3 });
    for (const s of servers) {
      const done = await untilSettled(s.instance.uuid);
      expect(done.status).toBe('ACTIVE');
      expect(done.instance.host).toBe('compute2');
    }
    expect(await t.drivers[0]!.listInstances()).toEqual([]);
    expect(t.logs.filter((l) => l.msg === 'rescheduling build' && l.failedHost === 'compute1').length).toBeGreaterThan(0);
    const tried = await t.cloud.database.repo(InstanceSchema).findOneBy({ uuid: servers[0]!.instance.uuid });
    expect(tried!.retryHosts).toContain('compute2');
  });

  it('puts the server in ERROR with a fault when every host fails the build', async () => {
    for (const d of t.drivers) d.failSpawn({ always: true, message: 'disk on fire' });
    const { servers } = await t.cloud.computeApi.createServers(t.admin, { name: 'doomed', flavorRef: '1', imageRef: t.imageId });
    const done = await untilSettled(servers[0]!.instance.uuid);
    expect(done.status).toBe('ERROR');
    expect(done.fault?.message).toMatch(/No valid host was found|Exceeded maximum number of retries/);
    expect(done.fault?.message).toContain(servers[0]!.instance.uuid);
    for (const d of t.drivers) expect(await d.listInstances()).toEqual([]);
  });

  it('goes to ERROR with "No valid host" when no host is big enough', async () => {
    await t.cloud.container.get<QuotaEngine>(TOKENS.QuotaEngine).setLimits(t.admin.projectId, { cores: -1, ram: -1 });
    const { servers } = await t.cloud.computeApi.createServers(t.admin, { name: 'huge', flavorRef: '5', imageRef: t.imageId, maxCount: 6 });
    const settled = await Promise.all(servers.map((s) => untilSettled(s.instance.uuid)));
    // 16 vCPUs * 16 overcommit per host is plenty; RAM 32768 * 1.5 fits 3 xlarge per host.
    expect(settled.filter((s) => s.status === 'ACTIVE').length).toBe(6);
    const more = await t.cloud.computeApi.createServers(t.admin, { name: 'one-too-many', flavorRef: '5', imageRef: t.imageId });
    const last = await untilSettled(more.servers[0]!.instance.uuid);
    expect(last.status).toBe('ERROR');
    expect(last.fault?.message).toBe('No valid host was found. There are not enough hosts available.');
  });
});
