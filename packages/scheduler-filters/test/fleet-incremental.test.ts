import type { HostState, RequestSpec } from '@nubo/core';
import { describe, expect, it } from 'vitest';
import { consumeFromRequest, createFleetHostSelector, createHostSelector, NUBO_DEFAULT_FILTERS, NOVA_ALL_WEIGHERS } from '../src/index.js';
import { aggregate, flavor, host, spec } from './builders.js';

/** A small seeded generator, so a failure replays. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const config = {
  enabledFilters: [...NUBO_DEFAULT_FILTERS, 'NumInstancesFilter', 'AggregateIoOpsFilter', 'JsonFilter'],
  weighers: [...NOVA_ALL_WEIGHERS],
};

describe('incrementally updated decisions', () => {
  it.each([1, 2, 3])('choose exactly as a fresh pipeline through claims, reports and removals (seed %i)', (seed) => {
    const r = rng(seed);
    const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
    const stack = aggregate({ ram_weight_multiplier: '-1', max_io_ops_per_host: '3' });
    const makeHost = (i: number): HostState =>
      host({
        host: `h${i}`,
        totalUsableRamMb: pick([8192, 16384, 32768]),
        freeRamMb: pick([1024, 4096, 8192]),
        vcpusTotal: pick([4, 8]),
        vcpusUsed: pick([0, 2, 8, 30]),
        freeDiskMb: pick([20, 100, 400]) * 1024,
        numIoOps: pick([0, 1, 2, 5]),
        failedBuilds: pick([0, 0, 0, 1]),
        numInstances: pick([0, 10, 49]),
        aggregates: r() < 0.2 ? [stack] : [],
      });
    const truth = new Map<string, HostState>();
    for (let i = 0; i < 60; i++) truth.set(`h${i}`, makeHost(i));
    const cached = createFleetHostSelector(config, {}, { maxResults: 3 });
    const fresh = createFleetHostSelector(config, {}, { maxResults: 3, cachedShapes: 0 });
    const pipeline = createHostSelector(config);
    for (const h of truth.values()) {
      cached.fleet.upsert(h);
      fresh.fleet.upsert(h);
    }
    const shapes: RequestSpec[] = [
      spec(),
      flavor(spec(), { memoryMb: 4096, vcpus: 2, rootGb: 40 }),
      spec({ hints: { query: ['[">=", "$free_ram_mb", 2048]'] } }),
      spec({ ignoreHosts: ['h1', 'h2'] }),
    ];
    for (let step = 0; step < 300; step++) {
      const roll = r();
      if (roll < 0.1) {
        // a compute node reports (sometimes with a new failure, sometimes in a new aggregate)
        const name = `h${Math.floor(r() * 70)}`;
        const h = makeHost(Number(name.slice(1)));
        truth.set(name, h);
        cached.fleet.upsert(h);
        fresh.fleet.upsert(h);
        continue;
      }
      if (roll < 0.13 && truth.size > 5) {
        const name = pick([...truth.keys()]);
        truth.delete(name);
        cached.fleet.remove(name);
        fresh.fleet.remove(name);
        continue;
      }
      const s = { ...pick(shapes), instanceUuid: `vm-${step}` };
      const a = cached.selectFromFleet(s).map((h) => h.host);
      const b = fresh.selectFromFleet(s).map((h) => h.host);
      const c = pipeline.select(s, [...cached.fleet.hosts()].sort((x, y) => cached.fleet.slotOf(x.host)! - cached.fleet.slotOf(y.host)!)).slice(0, 3).map((h) => h.host);
      expect({ step, a }).toEqual({ step, a: b });
      expect({ step, a }).toEqual({ step, a: c });
      if (a.length && r() < 0.8) {
        cached.fleet.claim(a[0]!, s);
        fresh.fleet.claim(a[0]!, s);
        truth.set(a[0]!, consumeFromRequest(truth.get(a[0]!)!, s));
      }
    }
  });
});
