import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ComputeNodeSchema, FixedIpSchema, InstanceFaultSchema, InstanceSchema, TOKENS, type Instance, type QuotaEngine,
} from '@nubo/core';
import { TEST_TIMINGS, TestCluster, waitFor } from './support/test-cluster.js';

// The conductor is the compute hosts' only way to the database, and it orchestrates every
// build: killing it in the middle of a burst leaves writes half done. On MariaDB.
describe('the conductor killed with SIGKILL mid-write (MariaDB, RabbitMQ)', () => {
  let c: TestCluster;
  beforeAll(async () => {
    // Calls wait out the conductor's restart (Nova's rpc_response_timeout plays the same part).
    c = await TestCluster.start({ engine: 'mariadb', config: { timings: { ...TEST_TIMINGS, rpcTimeoutMs: 180_000 } } });
    const quick = c.configFile('quick', { compute: { driver: 'fake', fake: { delaysMs: { spawn: 300 } } } });
    await c.spawnAll([
      { name: 'conductor1', args: ['conductor', '--host', 'conductor1'] },
      { name: 'scheduler1', args: ['scheduler', '--host', 'scheduler1'] },
      { name: 'compute1', args: ['compute', '--host', 'compute1'], config: quick },
      { name: 'compute2', args: ['compute', '--host', 'compute2'], config: quick },
    ]);
  }, 300_000);
  afterAll(async () => {
    const exits = await c?.stop();
    for (const e of exits ?? []) if (e.signal !== 'SIGKILL') expect(e, e.name).toMatchObject({ code: 0 });
  }, 180_000);

  const live = () => c.client.database.repo(InstanceSchema).find().then((all) => all.filter((i) => i.deletedAt === null));

  it('after a restart every request is served and the database is consistent: no stuck build, no orphaned claim, quota equals the real instances', async () => {
    const conductor = c.child('conductor1');
    const uuids: string[] = [];
    let killed = false;
    for (let i = 0; i < 30; i++) {
      uuids.push(...(await c.createServers(1, `burst${i}`, `req-burst-${i}`)));
      // Kill it once it is busy writing: builds scheduled, hosts building through it.
      if (!killed && i >= 8 && conductor.records.filter((r) => r.msg === 'casting build to compute host').length >= 3) {
        await conductor.kill('SIGKILL');
        killed = true;
      }
    }
    expect(killed).toBe(true);
    await c.spawn('conductor1-restarted', ['conductor', '--host', 'conductor1']);

    const settled = await waitFor(live, (all) => all.length === 30 && all.every((i) => i.vmState !== 'building'), 240_000, 'every build settled');
    const faults = await c.client.database.repo(InstanceFaultSchema).find();
    for (const i of settled) {
      // ACTIVE, or ERROR with the reason recorded: never left building.
      if (i.vmState === 'error') expect(faults.some((f) => f.instanceUuid === i.uuid), i.uuid).toBe(true);
      else expect(i).toMatchObject({ vmState: 'active', taskState: null });
    }
    expect(settled.filter((i) => i.vmState === 'active').length).toBeGreaterThan(0);
    expect(new Set(settled.map((i) => i.uuid))).toEqual(new Set(uuids));
    await expectConsistent(settled);

    // Deleting everything gives every claim back.
    for (const u of uuids) await c.client.computeApi.deleteServer(c.admin, u);
    await waitFor(live, (all) => all.length === 0, 180_000, 'every server deleted');
    await expectConsistent([]);
  }, 600_000);

  /** Quota usage, fixed IPs and compute-node usage all agree with the instances that exist. */
  async function expectConsistent(instances: Instance[]): Promise<void> {
    const db = c.client.database;
    const quota = await c.client.container.get<QuotaEngine>(TOKENS.QuotaEngine).getDetail(c.admin.projectId);
    expect(quota.instances.inUse).toBe(instances.length);
    expect(quota.cores.inUse).toBe(instances.reduce((n, i) => n + i.vcpus, 0));
    expect(quota.ram.inUse).toBe(instances.reduce((n, i) => n + i.memoryMb, 0));

    const ips = await db.repo(FixedIpSchema).find();
    const held = ips.filter((ip) => ip.instanceUuid !== null);
    const active = instances.filter((i) => i.vmState === 'active');
    expect(held.every((ip) => instances.some((i) => i.uuid === ip.instanceUuid)), 'no address held for a server that does not exist').toBe(true);
    for (const i of active) expect(held.filter((ip) => ip.instanceUuid === i.uuid), i.uuid).toHaveLength(1);

    // Each host's next resource report counts exactly the servers placed on it.
    await waitFor(() => db.repo(ComputeNodeSchema).find(), (nodes) => nodes.length === 2 && nodes.every((n) => {
      const mine = instances.filter((i) => i.host === n.host);
      return n.runningVms === mine.length && n.memoryMbUsed === mine.reduce((s, i) => s + i.memoryMb, 0);
    }), 60_000, 'compute nodes agree with the instances');
  }
});
