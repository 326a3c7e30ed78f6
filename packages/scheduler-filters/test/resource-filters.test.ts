import { describe, expect, it } from 'vitest';
import { AggregateCoreFilter, AggregateDiskFilter, AggregateRamFilter, CoreFilter, DiskFilter, RamFilter } from '../src/index.js';
import { aggregate, flavor, host, spec } from './builders.js';

describe('RamFilter', () => {
  const f = new RamFilter();
  it('passes a host with exactly enough RAM left under the ratio', () => {
    // 1024 total * 1.5 = 1536 limit, 512 used → 1024 usable
    expect(f.hostPasses(host({ totalUsableRamMb: 1024, freeRamMb: 512, ramAllocationRatio: 1.5 }), flavor(spec(), { memoryMb: 1024 }))).toBe(true);
  });
  it('refuses one MB more', () => {
    expect(f.hostPasses(host({ totalUsableRamMb: 1024, freeRamMb: 512, ramAllocationRatio: 1.5 }), flavor(spec(), { memoryMb: 1025 }))).toBe(false);
  });
  it('never lets an instance overcommit against itself', () => {
    expect(f.hostPasses(host({ totalUsableRamMb: 1024, freeRamMb: 1024, ramAllocationRatio: 10 }), flavor(spec(), { memoryMb: 1025 }))).toBe(false);
  });
  it('uses the configured ratio over the host one when set', () => {
    const h = host({ totalUsableRamMb: 1024, freeRamMb: 0, ramAllocationRatio: 1.0 });
    expect(f.hostPasses(h, flavor(spec(), { memoryMb: 512 }))).toBe(false);
    expect(new RamFilter(2.0).hostPasses(h, flavor(spec(), { memoryMb: 512 }))).toBe(true);
  });
  it('AggregateRamFilter takes the smallest aggregate ratio, else the host one, and ignores garbage', () => {
    const h = host({ totalUsableRamMb: 1024, freeRamMb: 0, ramAllocationRatio: 2.0 });
    const s = flavor(spec(), { memoryMb: 512 });
    expect(new AggregateRamFilter().hostPasses(h, s)).toBe(true);
    expect(new AggregateRamFilter().hostPasses({ ...h, aggregates: [aggregate({ ram_allocation_ratio: '1.0' }), aggregate({ ram_allocation_ratio: '3.0' })] }, s)).toBe(false);
    expect(new AggregateRamFilter().hostPasses({ ...h, aggregates: [aggregate({ ram_allocation_ratio: 'XXX' })] }, s)).toBe(true);
  });
});

describe('CoreFilter', () => {
  const f = new CoreFilter();
  it('passes while free vCPUs after the ratio cover the flavor', () => {
    expect(f.hostPasses(host({ vcpusTotal: 4, vcpusUsed: 7, cpuAllocationRatio: 2 }), spec())).toBe(true);
    expect(f.hostPasses(host({ vcpusTotal: 4, vcpusUsed: 8, cpuAllocationRatio: 2 }), spec())).toBe(false);
  });
  it('refuses a flavor with more vCPUs than the host has physically', () => {
    expect(f.hostPasses(host({ vcpusTotal: 4, vcpusUsed: 0, cpuAllocationRatio: 16 }), flavor(spec(), { vcpus: 5 }))).toBe(false);
  });
  it('lets a host that reports no vCPUs pass (fail safe)', () => {
    expect(f.hostPasses(host({ vcpusTotal: 0 }), flavor(spec(), { vcpus: 64 }))).toBe(true);
  });
  it('AggregateCoreFilter reads cpu_allocation_ratio from aggregates', () => {
    const h = host({ vcpusTotal: 4, vcpusUsed: 7, cpuAllocationRatio: 2, aggregates: [aggregate({ cpu_allocation_ratio: '1.0' })] });
    expect(new AggregateCoreFilter().hostPasses(h, spec())).toBe(false);
    expect(new CoreFilter().hostPasses(h, spec())).toBe(true);
  });
});

describe('DiskFilter', () => {
  const f = new DiskFilter();
  it('counts root, ephemeral and swap', () => {
    const h = host({ totalUsableDiskGb: 12, freeDiskMb: 11 * 1024, diskAllocationRatio: 1.0 });
    expect(f.hostPasses(h, flavor(spec(), { rootGb: 10, ephemeralGb: 1, swapMb: 0 }))).toBe(true);
    expect(f.hostPasses(h, flavor(spec(), { rootGb: 10, ephemeralGb: 1, swapMb: 1 }))).toBe(false);
  });
  it('oversubscribes disk with a ratio above 1, but not past the physical size for one instance', () => {
    const h = host({ totalUsableDiskGb: 12, freeDiskMb: 0, diskAllocationRatio: 2.0 });
    expect(f.hostPasses(h, flavor(spec(), { rootGb: 12 }))).toBe(true);
    expect(f.hostPasses(h, flavor(spec(), { rootGb: 13 }))).toBe(false);
  });
  it('AggregateDiskFilter reads disk_allocation_ratio from aggregates', () => {
    const h = host({ totalUsableDiskGb: 12, freeDiskMb: 0, diskAllocationRatio: 1.0, aggregates: [aggregate({ disk_allocation_ratio: '2.0' })] });
    expect(new AggregateDiskFilter().hostPasses(h, flavor(spec(), { rootGb: 12 }))).toBe(true);
    expect(new DiskFilter().hostPasses(h, flavor(spec(), { rootGb: 12 }))).toBe(false);
  });
});
