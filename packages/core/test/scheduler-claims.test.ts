import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComputeNodeSchema, Database, ServiceSchema, silentLogger, type RequestContext, type RequestSpec } from '@nubo/core';
import { FilterWeighSelector } from '../src/services/scheduler/filter-weigh-selector.js';
import { ComputeFilter } from '../src/services/scheduler/filters/compute-filter.js';
import { RamFilter } from '../src/services/scheduler/filters/ram-filter.js';
import { RamWeigher } from '../src/services/scheduler/filters/ram-weigher.js';
import { HostStateCache } from '../src/services/scheduler/host-state-cache.js';
import { SchedulerManager } from '../src/services/scheduler/scheduler-manager.js';

const ctx = { requestId: 'req-claims', userId: 'u1', projectId: 'p1', roles: ['member'], isAdmin: false, authToken: null } as RequestContext;

// The scheduler claims each placed instance in its cache until the hosts report again; hints
// such as different_host (Nova's DifferentHostFilter) read those claims by instance.
describe('the scheduler claims each instance of a request under its own uuid', () => {
  let db: Database;
  let cache: HostStateCache;
  let scheduler: SchedulerManager;
  beforeAll(async () => {
    db = await new Database({ url: 'sqlite::memory:' }).open();
    const now = new Date();
    for (const host of ['cmp1', 'cmp2', 'cmp3']) {
      await db.repo(ComputeNodeSchema).insert({
        hypervisorHostname: host, host, hypervisorType: 'fake', hypervisorVersion: 1, hostIp: '192.0.2.1', vcpus: 8, vcpusUsed: 0,
        memoryMb: 8192, memoryMbUsed: 0, localGb: 100, localGbUsed: 0, runningVms: 0, cpuAllocationRatio: 16, ramAllocationRatio: 1.5,
        diskAllocationRatio: 1, cpuInfo: '{}', updatedAt: now,
      });
      await db.repo(ServiceSchema).insert({
        binary: 'nubo-compute', host, topic: 'compute', availabilityZone: 'nova', disabled: false, disabledReason: null,
        forcedDown: false, reportCount: 1, lastSeenAt: now, createdAt: now,
      });
    }
    cache = new HostStateCache(db, { serviceDownTimeSec: 60, fullRefreshMs: 3_600_000 });
    scheduler = new SchedulerManager(cache, new FilterWeighSelector([new ComputeFilter(), new RamFilter()], [new RamWeigher()]), silentLogger, { maxAttempts: 3 });
  });
  afterAll(async () => {
    await db?.close();
  });

  it('records every instance on the host chosen for it', async () => {
    const spec: RequestSpec = {
      instanceUuid: 'i-1', projectId: 'p1', userId: 'u1',
      flavor: { memoryMb: 2048, rootGb: 1, ephemeralGb: 0, swapMb: 0, vcpus: 1, extraSpecs: {} },
      image: { id: null, properties: {} }, availabilityZone: null, schedulerHints: {}, instanceGroup: null, ignoreHosts: [], numInstances: 3,
    };
    const selections = await scheduler.selectDestinations(ctx, spec, 3, ['i-1', 'i-2', 'i-3']);
    const hosts = new Map((await cache.candidates()).map((h) => [h.host, h]));
    for (const [n, uuid] of ['i-1', 'i-2', 'i-3'].entries()) {
      expect(hosts.get(selections[n]![0]!.host)!.instances.has(uuid)).toBe(true);
    }
    const claimed = [...hosts.values()].flatMap((h) => [...h.instances]).sort();
    expect(claimed).toEqual(['i-1', 'i-2', 'i-3']);
  });
});
