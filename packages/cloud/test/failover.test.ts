import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKENS, ComputeNodeSchema, InstanceActionEventSchema, InstanceActionSchema, ServiceSchema, type HostAdminService } from '@nubo/core';
import { TestCluster, waitFor } from './support/test-cluster.js';

// One cloud of separate processes on PostgreSQL and RabbitMQ, shared by the tests below in order:
// conductor1, scheduler1 and scheduler2, a big but slow compute1 (the RAM weigher always prefers
// it, and its spawns never finish) and a small, quick compute2.
describe('nubo services as separate processes: liveness and failover (PostgreSQL, RabbitMQ)', () => {
  let c: TestCluster;
  const notBuilding = (uuids: string[]) => async () => (await Promise.all(uuids.map((u) => c.server(u)))).map((s) => s.status);

  let big: string;
  beforeAll(async () => {
    c = await TestCluster.start({ engine: 'postgres' });
    big = c.configFile('big-slow', { compute: { driver: 'fake', fake: { capacity: { vcpus: 512, memoryMb: 1_000_000, localGb: 10_000 }, delaysMs: { spawn: 600_000 } } } });
    const small = c.configFile('small', { compute: { driver: 'fake', fake: { capacity: { vcpus: 64, memoryMb: 65_536, localGb: 2_000 } } } });
    await c.spawnAll([
      { name: 'conductor1', args: ['conductor', '--host', 'conductor1'] },
      { name: 'scheduler1', args: ['scheduler', '--host', 'scheduler1'] },
      { name: 'scheduler2', args: ['scheduler', '--host', 'scheduler2'] },
      { name: 'compute1', args: ['compute', '--host', 'compute1', '--driver', 'fake'], config: big },
      { name: 'compute2', args: ['compute', '--host', 'compute2', '--driver', 'fake'], config: small },
    ]);
  }, 300_000);

  afterAll(async () => {
    const exits = await c?.stop();
    // Every process still alive stops gracefully on SIGTERM, with exit status 0.
    for (const e of exits ?? []) if (e.signal !== 'SIGKILL') expect(e, e.name).toMatchObject({ code: 0 });
  }, 120_000);

  it('schedulers, conductor and computes each report in and show up', async () => {
    const services = await waitFor(() => c.services(), (s) => s.length === 5 && s.every((x) => x.state === 'up'), 60_000, 'five services up');
    expect(services.map((s) => `${s.binary}@${s.host}`).sort()).toEqual([
      'nubo-compute@compute1', 'nubo-compute@compute2', 'nubo-conductor@conductor1', 'nubo-scheduler@scheduler1', 'nubo-scheduler@scheduler2',
    ]);
    // A scheduler learns of a host from its resource reports: wait for a report of each compute
    // made after both schedulers were listening, so that the tests below start from a scheduler
    // that knows both hosts (a report sent before one listened reaches it only at the next).
    const db = c.client.database;
    const listening = Math.max(...(await db.repo(ServiceSchema).findBy({ binary: 'nubo-scheduler' })).map((s) => s.createdAt.getTime()));
    await waitFor(() => db.repo(ComputeNodeSchema).find(), (nodes) => ['compute1', 'compute2'].every((h) =>
      nodes.some((n) => n.host === h && n.updatedAt.getTime() > listening)), 60_000, 'a report of each compute after the schedulers listened');
  }, 90_000);

  it('a compute killed mid-build: its builds are rescheduled and end ACTIVE elsewhere; the dead host goes down and is chosen no more', async () => {
    const uuids = await c.createServers(3, 'midbuild');
    await waitFor(() => c.instances(), (all) => uuids.every((u) => {
      const i = all.find((x) => x.uuid === u);
      return i?.host === 'compute1' && i.taskState === 'spawning';
    }), 120_000, 'three builds spawning on compute1');

    expect(await c.child('compute1').kill('SIGKILL')).toMatchObject({ signal: 'SIGKILL' });

    const statuses = await waitFor(notBuilding(uuids), (s) => s.every((x) => x !== 'BUILD'), 120_000, 'builds settled');
    expect(statuses).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE']);
    for (const u of uuids) {
      const s = await c.server(u);
      expect(s.instance.host).toBe('compute2');
      expect(s.instance.retryHosts).toEqual(['compute1', 'compute2']);
    }
    // The reschedule shows under the user's own request.
    const actions = await c.client.database.repo(InstanceActionSchema).findBy({ requestId: 'req-midbuild' });
    expect(actions).toHaveLength(3);

    const services = await c.services();
    expect(services.find((s) => s.host === 'compute1')!.state).toBe('down');
    expect(services.filter((s) => s.host !== 'compute1').every((s) => s.state === 'up')).toBe(true);

    // compute1 has far more free RAM: only its being down keeps the scheduler off it.
    const after = await c.createServers(4, 'after-kill');
    expect(await waitFor(notBuilding(after), (s) => s.every((x) => x !== 'BUILD'), 120_000, 'later builds')).toEqual(Array(4).fill('ACTIVE'));
    for (const u of after) expect((await c.server(u)).instance).toMatchObject({ host: 'compute2', retryHosts: ['compute2'] });
  }, 300_000);

  it('one of two schedulers killed under load: the other serves every request', async () => {
    const uuids: string[] = [];
    for (let i = 0; i < 24; i++) {
      uuids.push(...(await c.createServers(1, `load${i}`, `req-load-${i}`)));
      if (i === 6) await c.child('scheduler1').kill('SIGKILL');
    }
    const statuses = await waitFor(notBuilding(uuids), (s) => s.every((x) => x !== 'BUILD'), 180_000, 'builds under load settled');
    expect(statuses).toEqual(Array(24).fill('ACTIVE'));
    // Each request was scheduled and built exactly once.
    const events = await c.client.database.repo(InstanceActionEventSchema).find();
    const actions = await c.client.database.repo(InstanceActionSchema).findBy({ action: 'create' });
    for (const u of uuids) {
      const action = actions.filter((a) => a.instanceUuid === u);
      expect(action).toHaveLength(1);
      expect(events.filter((e) => e.actionId === action[0]!.id && e.event === 'compute_spawn')).toHaveLength(1);
    }
    const survivor = c.child('scheduler2').records.filter((r) => r.msg === 'selected destinations');
    expect(survivor.length).toBeGreaterThan(0);
  }, 300_000);

  it('a compute killed mid-build with no other host to take it: ERROR with a fault, not BUILD', async () => {
    await c.spawn('compute3', ['compute', '--host', 'compute3'], big);
    await waitFor(() => c.services(), (s) => s.some((x) => x.host === 'compute3' && x.state === 'up'), 60_000, 'compute3 up');
    const [uuid] = await c.createServers(1, 'last-host');
    await waitFor(() => c.server(uuid!), (s) => s.instance.host === 'compute3' && s.instance.taskState === 'spawning', 120_000, 'spawning on compute3');
    const admin = c.client.container.get<HostAdminService>(ADMIN_TOKENS.HostAdmin);
    await admin.updateServiceByHost(c.admin, 'compute2', 'nubo-compute', { status: 'disabled', disabledReason: 'maintenance' });
    try {
      await c.child('compute3').kill('SIGKILL');
      const s = await waitFor(() => c.server(uuid!), (v) => v.status !== 'BUILD', 120_000, 'the build settled');
      expect(s.status).toBe('ERROR');
      expect(s.fault?.message).toMatch(/No valid host was found/);
    } finally {
      await admin.updateServiceByHost(c.admin, 'compute2', 'nubo-compute', { status: 'enabled' });
    }
  }, 300_000);
});
