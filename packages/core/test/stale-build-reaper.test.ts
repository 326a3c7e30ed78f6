import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstanceSchema, StaleBuildReaper, TOKENS, TaskState, silentLogger, type ConductorRpcClient, type NetworkService } from '@nubo/core';
import { startTestCloud, waitFor, type TestCloud } from './support/start-test-cloud.js';

describe('a build taken back from a host that died is built again as the user asked', () => {
  let t: TestCloud;
  beforeAll(async () => {
    t = await startTestCloud(2);
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('keeps the networks the server was created with (none here), and avoids the dead host', async () => {
    // Both hosts hang in spawn, so the build sits on one of them as a dead host's would (when
    // that spawn ends, the build has been taken away: the host's late update is refused).
    for (const d of t.drivers) d.setDelay('spawn', 5_000);
    const { servers } = await t.cloud.computeApi.createServers(t.admin, {
      name: 'survivor', flavorRef: '1', imageRef: t.imageId, networks: 'none', schedulerHints: { note: 'kept' },
    });
    const uuid = servers[0]!.instance.uuid;
    const instances = t.cloud.database.repo(InstanceSchema);
    const stuck = await waitFor(() => instances.findOneByOrFail({ uuid }), (i) => i.taskState === TaskState.SPAWNING);
    const dead = stuck.host!;
    for (const d of t.drivers) d.setDelay('spawn', 0);

    const reaper = new StaleBuildReaper(t.cloud.database, t.cloud.container.get<ConductorRpcClient>(TOKENS.ConductorRpcClient), silentLogger, { serviceDownTimeSec: 60 });
    expect(await reaper.reclaimHost(dead, `Compute host ${dead} stopped reporting.`)).toEqual([uuid]);

    const done = await waitFor(() => t.cloud.computeApi.getServer(t.admin, uuid), (s) => s.status !== 'BUILD');
    expect(done.status).toBe('ACTIVE');
    expect(done.instance.host).not.toBe(dead);
    expect(done.instance.retryHosts).toEqual([dead, done.instance.host]);
    // Rebuilt from the row alone, the request would have become networks "auto" and got an address.
    expect(done.addresses).toEqual([]);
    expect(await t.cloud.container.get<NetworkService>(TOKENS.NetworkService).getInstanceNetworkInfo(uuid)).toEqual([]);
    // The dead host's late spawn is undone when it finds the build taken away.
    const deadDriver = t.drivers[Number(dead.replace('compute', '')) - 1]!;
    await waitFor(() => deadDriver.listInstances(), (l) => !l.includes(uuid), 15_000);
  });
});
