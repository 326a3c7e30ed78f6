import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  createFilters,
  createFleetHostSelector,
  createHostSelector,
  createWeighers,
  FleetHostSelector,
  fixtureConfig,
  fixtureHostStates,
  fixtureRequestSpec,
  type NovaFixture,
} from '../src/index.js';
import { flavor, host, spec } from './builders.js';

const fixtures = ['../../../../shared/anchors/nova-scheduler-golden.json', './fixtures/nova-golden-seed2.json', './fixtures/nova-golden-seed3-200hosts.json', './fixtures/nova-parity-aggregates-seed11.json'].map(
  (p) => JSON.parse(readFileSync(new URL(p, import.meta.url), 'utf8')) as NovaFixture,
);

describe('FleetHostSelector decides as Nova does', () => {
  it.each(fixtures.map((f, i) => [i, f] as const))('on golden fixture %i: same passing hosts, same order', (_i, fixture) => {
    const config = fixtureConfig(fixture);
    const selector = new FleetHostSelector(createFilters(config), createWeighers(config));
    for (const h of fixtureHostStates(fixture)) selector.fleet.upsert(h);
    const wrong = fixture.cases.flatMap((c, i) => {
      const order = selector.selectFromFleet(fixtureRequestSpec(c.request)).map((h) => h.host);
      return JSON.stringify(order) === JSON.stringify(c.weighed.map((w) => w.host)) ? [] : [i];
    });
    expect(wrong).toEqual([]);
  });

  it('returns only the best few when asked, the same as the head of the full order', () => {
    const fixture = fixtures[0]!;
    const config = fixtureConfig(fixture);
    const top3 = new FleetHostSelector(createFilters(config), createWeighers(config), { maxResults: 3 });
    for (const h of fixtureHostStates(fixture)) top3.fleet.upsert(h);
    for (const c of fixture.cases) {
      expect(top3.selectFromFleet(fixtureRequestSpec(c.request)).map((h) => h.host)).toEqual(c.weighed.slice(0, 3).map((w) => w.host));
    }
  });
});

describe('the fleet cache', () => {
  const fleet = () => [
    host({ host: 'a', totalUsableRamMb: 4096, freeRamMb: 4096, ramAllocationRatio: 1 }),
    host({ host: 'b', totalUsableRamMb: 8192, freeRamMb: 3072, ramAllocationRatio: 1 }),
  ];

  it('claims consume from the chosen host so two requests do not take the last slot', () => {
    const s = createFleetHostSelector({ enabledFilters: ['ComputeFilter', 'RamFilter'] });
    for (const h of fleet()) s.fleet.upsert(h);
    const big = (uuid: string) => flavor(spec({ instanceUuid: uuid }), { memoryMb: 3072 });
    expect(s.selectAndClaim(big('vm1'))[0]!.host).toBe('a');
    expect(s.selectAndClaim(big('vm2'))[0]!.host).toBe('b');
    expect(s.selectAndClaim(big('vm3'))).toEqual([]);
    const a = s.fleet.get('a')!;
    expect([a.freeRamMb, a.numInstances, a.numIoOps, a.instances.has('vm1')]).toEqual([1024, 1, 1, true]);
  });

  it('a released claim gives the room back', () => {
    const s = createFleetHostSelector({ enabledFilters: ['RamFilter'] });
    for (const h of fleet()) s.fleet.upsert(h);
    const req = flavor(spec({ instanceUuid: 'vm1' }), { memoryMb: 4096 });
    expect(s.selectAndClaim(req)[0]!.host).toBe('a');
    expect(s.selectFromFleet(req)).toEqual([]);
    s.fleet.release('a', req);
    expect(s.selectFromFleet(req)[0]!.host).toBe('a');
  });

  it('a compute report replaces the host, including its weigher multipliers', () => {
    const s = createFleetHostSelector({ enabledFilters: ['ComputeFilter'], weighers: ['RAMWeigher'] });
    for (const h of fleet()) s.fleet.upsert(h);
    expect(s.selectFromFleet(spec())[0]!.host).toBe('a');
    s.fleet.upsert({ ...s.fleet.get('a')!, aggregates: [{ id: 1, name: 'stack', metadata: { ram_weight_multiplier: '-1' }, hosts: ['a'] }] });
    expect(s.selectFromFleet(spec())[0]!.host).toBe('b');
    s.fleet.upsert({ ...s.fleet.get('b')!, serviceDisabled: true });
    expect(s.selectFromFleet(spec()).map((h) => h.host)).toEqual(['a']);
    s.fleet.remove('a');
    expect(s.selectFromFleet(spec())).toEqual([]);
  });

  it('as a HostSelector, follows the host list it is given', () => {
    const s = createFleetHostSelector();
    const pipeline = createHostSelector();
    const hosts = fleet();
    expect(s.select(spec(), hosts).map((h) => h.host)).toEqual(pipeline.select(spec(), hosts).map((h) => h.host));
    const fewer = [hosts[1]!];
    expect(s.select(spec(), fewer).map((h) => h.host)).toEqual(['b']);
    const changed = [{ ...hosts[1]!, serviceUp: false }];
    expect(s.select(spec(), changed)).toEqual([]);
  });

  it('as a HostSelector, sees hosts changed in place by a cache that claims by mutation', () => {
    const s = createFleetHostSelector({ enabledFilters: ['ComputeFilter', 'RamFilter'] });
    const hosts = fleet();
    const big = flavor(spec(), { memoryMb: 3072 });
    expect(s.select(big, hosts)[0]!.host).toBe('a');
    hosts[0]!.freeRamMb -= 3072; // the cache's claim
    expect(s.select(big, hosts).map((h) => h.host)).toEqual(['b']);
    hosts[1]!.serviceDisabled = true; // an admin disabled it
    expect(s.select(big, hosts)).toEqual([]);
  });

  it('grows past its initial capacity', () => {
    const s = createFleetHostSelector({ enabledFilters: ['ComputeFilter'] }, {}, { maxResults: 1 });
    for (let i = 0; i < 3000; i++) s.fleet.upsert(host({ host: `h${i}`, freeRamMb: i }));
    expect(s.selectFromFleet(spec())[0]!.host).toBe('h2999');
  });
});

describe('weighers the fleet can skip', () => {
  it('start weighing build failures as soon as a host reports one, and stop when it clears', () => {
    const s = createFleetHostSelector({ enabledFilters: ['ComputeFilter'], weighers: ['RAMWeigher', 'BuildFailureWeigher'] });
    s.fleet.upsert(host({ host: 'roomy', freeRamMb: 30000 }));
    s.fleet.upsert(host({ host: 'tight', freeRamMb: 1000 }));
    expect(s.selectFromFleet(spec())[0]!.host).toBe('roomy');
    s.fleet.upsert(host({ host: 'roomy', freeRamMb: 30000, failedBuilds: 2 }));
    expect(s.selectFromFleet(spec())[0]!.host).toBe('tight');
    s.fleet.upsert(host({ host: 'roomy', freeRamMb: 30000, failedBuilds: 0 }));
    expect(s.selectFromFleet(spec())[0]!.host).toBe('roomy');
  });
  it('keep hosts with free PCI devices for requests that need them', () => {
    const s = createFleetHostSelector({ enabledFilters: ['ComputeFilter'], weighers: ['PCIWeigher', 'RAMWeigher'] });
    s.fleet.upsert(host({ host: 'gpu', freeRamMb: 30000, pciStats: [{ vendorId: '10de', productId: '1', count: 4 }] }));
    s.fleet.upsert(host({ host: 'plain', freeRamMb: 1000 }));
    expect(s.selectFromFleet(spec())[0]!.host).toBe('plain');
    s.fleet.remove('plain');
    expect(s.selectFromFleet(spec())[0]!.host).toBe('gpu');
  });
});
