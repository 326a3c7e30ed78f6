import { DEFAULT_FLAVORS, FakeDriver, type Aggregate, type HostState, type RequestSpec } from '@nubo/core';
import { createFleetHostSelector, type SchedulerPlugins } from '../create-host-selector.js';
import { spread, type WhatIfReport } from './what-if-report.js';
import type { WhatIfHostGroup, WhatIfRequest, WhatIfScenario } from './what-if-scenario.js';

interface SimHost {
  name: string;
  driver: FakeDriver;
  group: WhatIfHostGroup;
  aggregates: Aggregate[];
  instances: Set<string>;
}

/** A small seeded generator (mulberry32) so a run with a seed is repeatable. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What a compute node reports: the fake driver's capacity and the usage of its guests. */
async function report(sim: SimHost): Promise<HostState> {
  const res = await sim.driver.getAvailableResources();
  const used = sim.driver.usage();
  const g = sim.group;
  return {
    host: sim.name,
    node: res.hypervisorHostname,
    totalUsableRamMb: res.memoryMb,
    freeRamMb: res.memoryMb - used.memoryMb,
    totalUsableDiskGb: res.localGb,
    freeDiskMb: (res.localGb - used.localGb) * 1024,
    diskMbUsed: used.localGb * 1024,
    vcpusTotal: res.vcpus,
    vcpusUsed: used.vcpus,
    cpuAllocationRatio: g.cpuAllocationRatio ?? 16.0,
    ramAllocationRatio: g.ramAllocationRatio ?? 1.5,
    diskAllocationRatio: g.diskAllocationRatio ?? 1.0,
    numInstances: used.instances,
    numIoOps: 0,
    failedBuilds: 0,
    hostIp: res.hostIp,
    hypervisorType: res.hypervisorType,
    hypervisorVersion: res.hypervisorVersion,
    supportedInstances: res.supportedInstances,
    stats: {},
    serviceDisabled: false,
    serviceUp: true,
    aggregates: sim.aggregates,
    instances: new Set(await sim.driver.listInstances()),
    metrics: {},
    updatedAt: new Date(),
  };
}

function flavorOf(r: WhatIfRequest): RequestSpec['flavor'] {
  if (typeof r.flavor !== 'string') {
    const f = r.flavor;
    return { name: f.name ?? 'custom', memoryMb: f.memoryMb, vcpus: f.vcpus, rootGb: f.rootGb, ephemeralGb: f.ephemeralGb ?? 0, swapMb: f.swapMb ?? 0, extraSpecs: f.extraSpecs ?? {} };
  }
  const d = DEFAULT_FLAVORS.find((x) => x.name === r.flavor);
  if (!d) throw new Error(`Flavor ${r.flavor} could not be found.`);
  return { id: d.id, name: d.name, memoryMb: d.memoryMb, vcpus: d.vcpus, rootGb: d.rootGb, ephemeralGb: d.ephemeralGb, swapMb: d.swapMb, extraSpecs: {} };
}

/**
 * Replays requests against a synthetic fleet of fake-driver hosts: each request is scheduled
 * with the configured filters and weighers (the fast fleet selector, claims included), built on
 * the chosen host's `FakeDriver`, and the host then reports its real usage back, as a compute
 * node would. Returns how the instances spread over the fleet.
 */
export async function replayWhatIf(scenario: WhatIfScenario, plugins: SchedulerPlugins = {}): Promise<WhatIfReport> {
  const sims: SimHost[] = [];
  let aggId = 1;
  for (const [gi, group] of scenario.fleet.entries()) {
    const aggregates: Aggregate[] = group.aggregateMetadata ? [{ id: aggId++, name: `group${gi}`, metadata: group.aggregateMetadata, hosts: [] }] : [];
    for (let i = 0; i < group.count; i++) {
      const name = `g${gi}-host${String(i).padStart(5, '0')}`;
      aggregates.forEach((a) => a.hosts.push(name));
      const driver = new FakeDriver({ capacity: { vcpus: group.vcpus, memoryMb: group.memoryMb, localGb: group.localGb } });
      await driver.init(name);
      sims.push({ name, driver, group, aggregates, instances: new Set() });
    }
  }
  const byName = new Map(sims.map((s) => [s.name, s]));
  const selector = createFleetHostSelector(scenario.config ?? {}, plugins, { maxResults: 1, random: seeded(scenario.seed ?? 1) });
  for (const s of sims) selector.fleet.upsert(await report(s));

  let requests = 0;
  let placed = 0;
  let noValidHost = 0;
  let buildFailures = 0;
  let decisionMs = 0;
  for (const [ri, r] of scenario.requests.entries()) {
    const groupMembers: string[] = [];
    const groupHosts: string[] = [];
    for (let k = 0; k < (r.count ?? 1); k++) {
      requests++;
      const uuid = `whatif-${ri}-${k}`;
      const spec: RequestSpec = {
        instanceUuid: uuid,
        projectId: r.projectId ?? 'what-if',
        userId: 'what-if',
        flavor: flavorOf(r),
        image: { id: null, properties: {} },
        availabilityZone: r.availabilityZone ?? null,
        schedulerHints: r.hints ?? {},
        instanceGroup: r.groupPolicy ? { policy: r.groupPolicy, hosts: [...new Set(groupHosts)], members: [...groupMembers] } : null,
        ignoreHosts: [],
        numInstances: 1,
      };
      const t0 = performance.now();
      const [chosen] = selector.selectAndClaim(spec);
      decisionMs += performance.now() - t0;
      if (!chosen) {
        noValidHost++;
        continue;
      }
      const sim = byName.get(chosen.host)!;
      const f = spec.flavor;
      try {
        await sim.driver.spawn({
          instance: { uuid, name: uuid, projectId: spec.projectId, memoryMb: f.memoryMb, vcpus: f.vcpus, rootGb: f.rootGb, ephemeralGb: f.ephemeralGb, swapMb: f.swapMb, metadata: {}, keyData: null, userData: null },
          image: null,
          network: [],
          blockDevices: [],
        });
        placed++;
        groupMembers.push(uuid);
        groupHosts.push(chosen.host);
      } catch {
        buildFailures++;
      }
      // the compute node's next report replaces the scheduler's claim with the truth
      selector.fleet.upsert(await report(sim));
    }
  }

  const finals = await Promise.all(sims.map(async (s) => ({ s, u: s.driver.usage() })));
  const instances = finals.map(({ u }) => u.instances);
  return {
    requests,
    placed,
    noValidHost,
    buildFailures,
    hostsUsed: instances.filter((n) => n > 0).length,
    hosts: sims.length,
    instancesPerHost: spread(instances),
    ramUtilisation: spread(finals.map(({ s, u }) => u.memoryMb / s.group.memoryMb)),
    vcpuUtilisation: spread(finals.map(({ s, u }) => u.vcpus / s.group.vcpus)),
    busiest: finals
      .map(({ s, u }) => ({ host: s.name, instances: u.instances, ramUsedMb: u.memoryMb }))
      .sort((a, b) => b.instances - a.instances || a.host.localeCompare(b.host))
      .slice(0, 5),
    decisionsPerSecond: decisionMs > 0 ? Math.round((requests / decisionMs) * 1000) : 0,
  };
}
