import type { HostState, HostWeigher } from '@nubo/core';
import { describe, expect, it } from 'vitest';
import {
  BuildFailureWeigher,
  CPUWeigher,
  CrossCellWeigher,
  DiskWeigher,
  IoOpsWeigher,
  MetricsWeigher,
  PCIWeigher,
  RAMWeigher,
  ServerGroupSoftAffinityWeigher,
  ServerGroupSoftAntiAffinityWeigher,
  weighHosts,
} from '../src/index.js';
import { aggregate, host, spec } from './builders.js';

const names = (hosts: { host: HostState }[]) => hosts.map((w) => w.host.host);
const h1 = host({ host: 'h1', freeRamMb: 512, freeDiskMb: 5120, vcpusTotal: 4, vcpusUsed: 8, numIoOps: 3, failedBuilds: 0 });
const h2 = host({ host: 'h2', freeRamMb: 1024, freeDiskMb: 10240, vcpusTotal: 4, vcpusUsed: 2, numIoOps: 0, failedBuilds: 2 });
const h3 = host({ host: 'h3', freeRamMb: 3072, freeDiskMb: 1024, vcpusTotal: 8, vcpusUsed: 0, numIoOps: 1, failedBuilds: 0 });
const weigh = (w: HostWeigher, hosts = [h1, h2, h3], s = spec()) => weighHosts([w], hosts, s);

describe('resource weighers', () => {
  it('RAMWeigher spreads by default and stacks with a negative multiplier', () => {
    expect(names(weigh(new RAMWeigher()))).toEqual(['h3', 'h2', 'h1']);
    expect(names(weigh(new RAMWeigher(-1)))).toEqual(['h1', 'h2', 'h3']);
  });
  it('normalises against 0 (minval), not the smallest host', () => {
    // free RAM 512, 1024, 3072 → 512/3072, 1024/3072, 1
    expect(weigh(new RAMWeigher()).map((w) => w.weight)).toEqual([1, 1024 / 3072, 512 / 3072]);
  });
  it('DiskWeigher and CPUWeigher prefer free disk and free vCPUs after the ratio', () => {
    expect(names(weigh(new DiskWeigher()))).toEqual(['h2', 'h1', 'h3']);
    expect(names(weigh(new CPUWeigher()))).toEqual(['h3', 'h2', 'h1']);
  });
  it('IoOpsWeigher prefers idle hosts by default', () => {
    expect(names(weigh(new IoOpsWeigher()))).toEqual(['h2', 'h3', 'h1']);
  });
  it('BuildFailureWeigher pushes hosts with failures to the back, overriding everything else', () => {
    const order = weighHosts([new RAMWeigher(), new BuildFailureWeigher()], [h2, h3], spec());
    expect(names(order)).toEqual(['h3', 'h2']);
    expect(order[1]!.weight).toBeCloseTo(-1000000 + 1024 / 3072, 6);
  });
});

describe('normalisation and ordering', () => {
  it('weighs one host or none as 0 without calling the weighers', () => {
    const boom: HostWeigher = { name: 'Boom', multiplier: () => 1, weigh: () => { throw new Error('called'); } };
    expect(weighHosts([boom], [h1], spec())).toEqual([{ host: h1, weight: 0 }]);
    expect(weighHosts([boom], [], spec())).toEqual([]);
  });
  it('gives all-equal raw weights 0 and keeps the input order for ties', () => {
    const flat: HostWeigher = { name: 'Flat', multiplier: () => 5, weigh: () => 7 };
    expect(weighHosts([flat], [h3, h1, h2], spec()).map((w) => [w.host.host, w.weight])).toEqual([['h3', 0], ['h1', 0], ['h2', 0]]);
  });
  it('scales each weigher to 0…1 between min and max before the multiplier', () => {
    const w: HostWeigher = { name: 'Raw', multiplier: () => 2, weigh: (h) => (h.host === 'h1' ? 10 : h.host === 'h2' ? 20 : 30) };
    expect(weighHosts([w], [h1, h2, h3], spec()).map((x) => x.weight)).toEqual([2, 1, 0]);
  });
  it('clamps raw weights to a weigher’s maxval and normalises up to it', () => {
    const w: HostWeigher = { name: 'Capped', maxval: 15, multiplier: () => 1, weigh: (h) => (h.host === 'h1' ? 10 : h.host === 'h2' ? 30 : 15) };
    const order = weighHosts([w], [h1, h2, h3], spec());
    expect(order.map((x) => [x.host.host, x.weight])).toEqual([['h2', 1], ['h3', 1], ['h1', 0]]);
  });
  it('takes a per-aggregate multiplier override, the smallest when several', () => {
    const inAgg = { ...h3, aggregates: [aggregate({ ram_weight_multiplier: '-2' }), aggregate({ ram_weight_multiplier: '3' })] };
    const order = weighHosts([new RAMWeigher()], [h1, h2, inAgg], spec());
    expect(names(order)).toEqual(['h2', 'h1', 'h3']);
    expect(order[2]!.weight).toBe(-2);
  });
  it('ignores an unreadable per-aggregate multiplier', () => {
    const inAgg = { ...h3, aggregates: [aggregate({ ram_weight_multiplier: 'heavy' })] };
    expect(new RAMWeigher().multiplier(inAgg)).toBe(1);
  });
});

describe('server group soft weighers', () => {
  const group = (policy: 'soft-affinity' | 'soft-anti-affinity') =>
    spec({ instanceGroup: { policy, hosts: [], members: ['m1', 'm2', 'm3'] } });
  const a = host({ host: 'a', instances: new Set(['m1', 'm2']) });
  const b = host({ host: 'b', instances: new Set(['m3']) });
  const c = host({ host: 'c' });
  it('soft-affinity prefers hosts with more members', () => {
    expect(names(weighHosts([new ServerGroupSoftAffinityWeigher()], [c, b, a], group('soft-affinity')))).toEqual(['a', 'b', 'c']);
  });
  it('soft-anti-affinity prefers hosts with fewer members', () => {
    expect(names(weighHosts([new ServerGroupSoftAntiAffinityWeigher()], [a, b, c], group('soft-anti-affinity')))).toEqual(['c', 'b', 'a']);
  });
  it('both ignore groups of another policy', () => {
    expect(new ServerGroupSoftAffinityWeigher().weigh(a, group('soft-anti-affinity'))).toBe(0);
    expect(new ServerGroupSoftAntiAffinityWeigher().weigh(a, group('soft-affinity'))).toBe(-0);
  });
});

describe('other weighers', () => {
  it('CrossCellWeigher prefers the source cell only for cross-cell moves', () => {
    const w = new CrossCellWeigher();
    const inCell = host({ cellUuid: 'cell1' });
    const move = spec({ requestedDestination: { cellUuid: 'cell1', allowCrossCellMove: true } });
    expect(w.weigh(inCell, move)).toBe(1);
    expect(w.weigh(host({ cellUuid: 'cell2' }), move)).toBe(-1);
    expect(w.weigh(inCell, spec({ requestedDestination: { cellUuid: 'cell1', allowCrossCellMove: false } }))).toBe(0);
    expect(w.weigh(inCell, spec())).toBe(0);
  });
  it('PCIWeigher keeps hosts with free PCI devices for those who need them', () => {
    const w = new PCIWeigher();
    expect(w.weigh(host())).toBe(100);
    expect(w.weigh(host({ pciStats: [{ vendorId: 'v', productId: 'p', count: 3 }] }))).toBe(97);
    expect(w.weigh(host({ pciStats: [{ vendorId: 'v', productId: 'p', count: 500 }] }))).toBe(1);
  });
  it('MetricsWeigher sums metric × ratio', () => {
    const w = new MetricsWeigher({ weightSetting: ['cpu=1.0', 'mem=-0.5'], weightMultiplier: 1, weightOfUnavailable: -10000, required: false });
    expect(w.weigh(host({ metrics: { cpu: 10, mem: 4 } }))).toBe(8);
    expect(w.weigh(host({ metrics: { cpu: 10 } }))).toBe(-10000);
  });
  it('MetricsWeigher throws for a missing metric when metrics are required', () => {
    const w = new MetricsWeigher({ weightSetting: ['cpu=1.0'], weightMultiplier: 1, weightOfUnavailable: -10000, required: true });
    expect(() => w.weigh(host())).toThrow(/cpu/);
  });
});
