import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstanceActionEventSchema, InstanceActionSchema, InstanceFaultSchema, InstanceSchema } from '@nubo/core';
import { withBrokerStopped } from './support/rabbitmq-vhost.js';
import { TEST_TIMINGS, TestCluster, waitFor } from './support/test-cluster.js';

/** Boot requests in the burst, each its own cast to the conductor (and on to a compute host). */
const BURST = Number(process.env.NUBO_TEST_BROKER_BURST ?? 300);

describe('RabbitMQ stopped and started during a burst of boot requests (PostgreSQL)', () => {
  let c: TestCluster;
  beforeAll(async () => {
    // service_down_time well past the outage: a host that was only unreachable is not dead.
    c = await TestCluster.start({ engine: 'postgres', config: { timings: { ...TEST_TIMINGS, serviceDownTimeSec: 30 } } });
    await c.spawnAll([
      { name: 'conductor1', args: ['conductor', '--host', 'conductor1'] },
      { name: 'scheduler1', args: ['scheduler', '--host', 'scheduler1'] },
      { name: 'compute1', args: ['compute', '--host', 'compute1'] },
      { name: 'compute2', args: ['compute', '--host', 'compute2'] },
    ]);
  }, 300_000);
  afterAll(async () => {
    const exits = await c?.stop();
    for (const e of exits ?? []) expect(e, e.name).toMatchObject({ code: 0 });
  }, 180_000);

  it('every request is handled exactly once after the broker returns, none left building', async () => {
    const uuids: string[] = [];
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < BURST; i = next++) uuids.push(...(await c.createServers(1, `b${i}`, `req-b-${i}`)));
    };
    const burst = Promise.all(Array.from({ length: 8 }, worker));
    await waitFor(async () => uuids.length, (n) => n >= BURST / 3, 120_000, 'a third of the burst sent');
    // Short outage: other suites on this machine share the broker.
    await withBrokerStopped(3_000);
    await burst;
    expect(uuids).toHaveLength(BURST);

    const db = c.client.database;
    const settled = await waitFor(() => db.repo(InstanceSchema).find().then((all) => all.filter((i) => i.deletedAt === null)),
      (all) => all.length === BURST && all.every((i) => i.vmState !== 'building'), 300_000, 'every build settled');
    const faults = await db.repo(InstanceFaultSchema).find();
    const errors = settled.filter((i) => i.vmState !== 'active');
    const reasons = [...new Set(faults.filter((f) => errors.some((i) => i.uuid === f.instanceUuid)).map((f) => f.message.slice(0, 160)))];
    process.stdout.write(`broker restart: ${BURST} requests, ${BURST - errors.length} ACTIVE, ${errors.length} ERROR with a fault${reasons.length ? `: ${reasons.slice(0, 3).join(' | ')}` : ''}\n`);
    // A call cut by the outage fails its build; it must then say why (and nothing stays BUILD).
    for (const i of errors) expect(faults.some((f) => f.instanceUuid === i.uuid), `${i.uuid} ${i.vmState}`).toBe(true);
    expect(settled.filter((i) => i.vmState === 'active').length).toBeGreaterThan(0);

    // Exactly once: one create action, one conductor hand-off and at most one spawn per request.
    const actions = await db.repo(InstanceActionSchema).findBy({ action: 'create' });
    const events = await db.repo(InstanceActionEventSchema).find();
    const byAction = new Map<number, string[]>();
    const spawnHosts = new Map<number, string[]>();
    for (const e of events) {
      (byAction.get(e.actionId) ?? byAction.set(e.actionId, []).get(e.actionId)!).push(e.event);
      if (e.event === 'compute_spawn') (spawnHosts.get(e.actionId) ?? spawnHosts.set(e.actionId, []).get(e.actionId)!).push(e.host ?? '');
    }
    for (const u of uuids) {
      const mine = actions.filter((a) => a.instanceUuid === u);
      expect(mine, u).toHaveLength(1);
      const ev = byAction.get(mine[0]!.id) ?? [];
      expect(ev.filter((e) => e === 'conductor_build_instances'), u).toHaveLength(1);
      // A build cut by the outage may be rescheduled to another host (a second spawn there),
      // but no host ever runs the same build twice.
      const hosts = spawnHosts.get(mine[0]!.id) ?? [];
      expect(new Set(hosts).size, `${u} spawned on ${hosts.join(',')}`).toBe(hosts.length);
      if (settled.find((i) => i.uuid === u)!.vmState === 'active') expect(hosts.length, u).toBeGreaterThanOrEqual(1);
    }
  }, 600_000);
});
