import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstanceActionEventSchema, InstanceActionSchema, InstanceFaultSchema, InstanceSchema, type Instance } from '@nubo/core';
import { processCpuSeconds } from './support/process-cpu.js';
import { withBrokerStopped } from './support/rabbitmq-vhost.js';
import { TEST_TIMINGS, TestCluster, waitFor } from './support/test-cluster.js';

/** Boot requests in the burst: each one a build cast to the conductor, then one to a compute host. */
const BURST = Number(process.env.NUBO_TEST_BROKER_BURST ?? 1000);
const SERVICES = ['conductor1', 'scheduler1', 'compute1', 'compute2'];

/** What the transport logs (at debug) for each cast it published and had confirmed, and each it ran. */
interface CastRecord {
  msg: 'sent RPC cast' | 'handled RPC cast';
  method: string;
  messageId: string;
  requestId?: string;
  host: string;
  queue?: string;
  fanout?: boolean;
}

/**
 * Polls until every instance has left BUILD. Fails as soon as none has for 90 s (a lost
 * cast leaves its instance building for good), rather than at a fixed deadline: how long the
 * burst takes depends on how loaded the machine is.
 */
async function untilSettled(list: () => Promise<Instance[]>, stallMs = 90_000): Promise<Instance[]> {
  let building = Infinity;
  let progressAt = Date.now();
  for (;;) {
    const all = await list();
    const now = all.filter((i) => i.vmState === 'building').length;
    if (all.length === BURST && now === 0) return all;
    if (now < building) [building, progressAt] = [now, Date.now()];
    if (Date.now() - progressAt > stallMs) {
      throw new Error(`${now} of ${all.length} instances still building, none finished in ${stallMs / 1000} s: ` +
        all.filter((i) => i.vmState === 'building').slice(0, 5).map((i) => i.uuid).join(', '));
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('RabbitMQ stopped and started during a burst of boot requests (PostgreSQL)', () => {
  let c: TestCluster;
  beforeAll(async () => {
    c = await TestCluster.start({
      engine: 'postgres',
      // service_down_time well past the outage: a host that was only unreachable is not dead.
      // Debug: the transport logs every cast it sends and runs, which is what this test counts.
      config: { timings: { ...TEST_TIMINGS, serviceDownTimeSec: 30 }, logLevel: 'debug' },
    });
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

  it(`every one of ${BURST} build casts is handled exactly once after the broker returns, none lost, none left building`, async () => {
    const cpuBefore = new Map(SERVICES.map((s) => [s, processCpuSeconds(c.child(s).pid)]));
    const apiCpuBefore = process.cpuUsage();
    const started = Date.now();
    const uuids: string[] = [];
    const requestOf = new Map<string, string>();
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < BURST; i = next++) {
        for (const u of await c.createServers(1, `b${i}`, `req-b-${i}`)) {
          uuids.push(u);
          requestOf.set(u, `req-b-${i}`);
        }
      }
    };
    const burst = Promise.all(Array.from({ length: 8 }, worker));
    await waitFor(async () => uuids.length, (n) => n >= BURST / 3, 300_000, 'a third of the burst sent');
    const outageAt = uuids.length;
    // Short outage: other suites on this machine share the broker.
    const outageStarted = Date.now();
    await withBrokerStopped(3_000);
    const outageSeconds = (Date.now() - outageStarted) / 1000;
    await burst;
    const sentSeconds = (Date.now() - started) / 1000;
    expect(new Set(uuids).size).toBe(BURST);

    const db = c.client.database;
    const settled = await untilSettled(() => db.repo(InstanceSchema).find().then((all) => all.filter((i) => i.deletedAt === null)));
    const settledSeconds = (Date.now() - started) / 1000;

    // --- Exactly once, as the services' transports saw it: every cast published by a service
    // and confirmed by the broker ran exactly once, and each boot request reached the
    // conductor exactly once (the API's casts come from this process, whose transport is quiet).
    const collect = () => {
      const records: CastRecord[] = SERVICES.flatMap((s) => c.child(s).records
        .filter((r) => r.msg === 'sent RPC cast' || r.msg === 'handled RPC cast')
        .map((r) => ({ ...(r as unknown as CastRecord), host: s })));
      // Fanout casts (host state for the schedulers) are not user work: like Nova's, they die
      // with their subscribers' exclusive queues. Everything else goes to durable queues.
      const sent = records.filter((r) => r.msg === 'sent RPC cast' && !r.fanout);
      const handled = records.filter((r) => r.msg === 'handled RPC cast' && !r.queue?.includes('_fanout_'));
      const runs = new Map<string, CastRecord[]>();
      for (const h of handled) (runs.get(h.messageId) ?? runs.set(h.messageId, []).get(h.messageId)!).push(h);
      return { sent, handled, runs, lost: sent.filter((s) => !runs.has(s.messageId)) };
    };
    // A handler logs once it has returned, a little after the state it wrote: give the last
    // lines time to arrive (a cast really lost never does, and fails below).
    const { handled, runs, lost } = await waitFor(async () => collect(), (r) => r.lost.length === 0, 30_000, 'every sent cast run')
      .catch(() => collect());
    const twice = [...runs.values()].filter((list) => list.length > 1);
    expect(twice.map((l) => `${l[0]!.method} ${l[0]!.requestId} on ${l.map((h) => h.host).join(',')}`), 'casts run more than once').toEqual([]);
    expect(lost.map((s) => `${s.method} ${s.requestId} from ${s.host}`), 'casts confirmed by the broker but never run').toEqual([]);

    const builds = new Map<string, CastRecord[]>();
    for (const h of handled) {
      if (h.method !== 'build_instances') continue;
      (builds.get(h.requestId ?? '') ?? builds.set(h.requestId ?? '', []).get(h.requestId ?? '')!).push(h);
    }
    for (const u of uuids) expect(builds.get(requestOf.get(u)!)?.length ?? 0, `build_instances of ${requestOf.get(u)}`).toBe(1);
    const computeRuns = handled.filter((h) => h.method === 'build_and_run_instance');
    const reschedules = handled.filter((h) => h.method === 'reschedule_build').length;

    // --- Every instance settled: ACTIVE, or ERROR saying why (a call cut by the outage can fail
    // a build; it must then leave a fault, and nothing stays in BUILD).
    const faults = await db.repo(InstanceFaultSchema).find();
    const errors = settled.filter((i) => i.vmState !== 'active');
    const reasons = [...new Set(faults.filter((f) => errors.some((i) => i.uuid === f.instanceUuid)).map((f) => f.message.slice(0, 160)))];
    for (const i of errors) expect(faults.some((f) => f.instanceUuid === i.uuid), `${i.uuid} ${i.vmState}`).toBe(true);
    expect(settled.filter((i) => i.vmState === 'active').length).toBeGreaterThan(0);

    // --- And as the database recorded it: one create action per request, one conductor
    // hand-off, and no host spawning the same build twice (a build cut by the outage may be
    // rescheduled to another host).
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
      const hosts = spawnHosts.get(mine[0]!.id) ?? [];
      expect(new Set(hosts).size, `${u} spawned on ${hosts.join(',')}`).toBe(hosts.length);
      if (settled.find((i) => i.uuid === u)!.vmState === 'active') expect(hosts.length, u).toBeGreaterThanOrEqual(1);
    }

    const cpu = SERVICES.map((s) => {
      const [before, after] = [cpuBefore.get(s), processCpuSeconds(c.child(s).pid)];
      return `${s} ${before === null || before === undefined || after === null ? '?' : (after - before).toFixed(1)}`;
    }).join(', ');
    const apiCpu = process.cpuUsage(apiCpuBefore);
    process.stdout.write(
      `broker restart: ${BURST} boot requests (broker stopped after ${outageAt} were accepted, back after ${outageSeconds.toFixed(1)} s), ` +
      `${BURST - errors.length} ACTIVE, ${errors.length} ERROR with a fault${reasons.length ? ` (${reasons.slice(0, 3).join(' | ')})` : ''}; ` +
      `casts run once each: ${builds.size} build_instances, ${computeRuns.length} build_and_run_instance, ${reschedules} reschedule_build, ` +
      `${handled.length} in all; all accepted after ${sentSeconds.toFixed(0)} s, all settled after ${settledSeconds.toFixed(0)} s; ` +
      `CPU s: ${cpu}, this process (API and client) ${((apiCpu.user + apiCpu.system) / 1e6).toFixed(1)}\n`);
  }, 900_000);
});
