import { readFileSync } from 'node:fs';
import type { HostNumaCell } from '@nubo/core';
import { describe, expect, it } from 'vitest';
import { NUMATopologyFilter } from '../src/index.js';
import { flavor, host, spec } from './builders.js';

interface NumaCase {
  host: { cells: HostNumaCell[]; cpuAllocationRatio: number; ramAllocationRatio: number };
  flavor: { vcpus: number; memoryMb: number; extraSpecs: Record<string, string> };
  passes: boolean;
}

// made by real Nova: tools/nova-numa-parity.py --seed 5 --cases 300
const cases = JSON.parse(readFileSync(new URL('./fixtures/nova-numa-parity.json', import.meta.url), 'utf8')) as NumaCase[];

describe('NUMATopologyFilter decides as real Nova does', () => {
  it(`on ${cases.length} random host topologies and flavors`, () => {
    const f = new NUMATopologyFilter();
    const wrong = cases.flatMap((c, i) => {
      const h = host({ numaTopology: { cells: c.host.cells }, cpuAllocationRatio: c.host.cpuAllocationRatio, ramAllocationRatio: c.host.ramAllocationRatio });
      const s = flavor(spec({ extraSpecs: c.flavor.extraSpecs }), { vcpus: c.flavor.vcpus, memoryMb: c.flavor.memoryMb });
      return f.hostPasses(h, s) === c.passes ? [] : [{ i, nova: c.passes, flavor: c.flavor.extraSpecs }];
    });
    expect(wrong).toEqual([]);
  });
});
