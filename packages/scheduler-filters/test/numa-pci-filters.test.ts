import type { HostNumaCell } from '@nubo/core';
import { describe, expect, it } from 'vitest';
import { consumeFromRequest, NUMATopologyFilter, PciPassthroughFilter } from '../src/index.js';
import { flavor, host, spec } from './builders.js';

const cell = (id: number, over: Partial<HostNumaCell> = {}): HostNumaCell => ({
  id,
  cpuset: [id * 4, id * 4 + 1, id * 4 + 2, id * 4 + 3],
  pcpuset: [id * 4, id * 4 + 1, id * 4 + 2, id * 4 + 3],
  memoryMb: 2048,
  cpuUsage: 0,
  memoryUsageMb: 0,
  pinnedCpus: [],
  siblings: [],
  ...over,
});

describe('NUMATopologyFilter', () => {
  const f = new NUMATopologyFilter();
  const numaHost = host({ cpuAllocationRatio: 1, ramAllocationRatio: 1, numaTopology: { cells: [cell(0), cell(1)] } });
  const twoNodes = (vcpus: number, memoryMb: number) => flavor(spec({ extraSpecs: { 'hw:numa_nodes': '2' } }), { vcpus, memoryMb });

  it('passes requests without NUMA needs anywhere', () => {
    expect(f.hostPasses(host(), spec())).toBe(true);
  });
  it('fails a NUMA request on a host without a NUMA topology', () => {
    expect(f.hostPasses(host(), twoNodes(2, 1024))).toBe(false);
  });
  it('splits the flavor evenly across cells and fits each on its own host cell', () => {
    expect(f.hostPasses(numaHost, twoNodes(8, 4096))).toBe(true);
    expect(f.hostPasses(numaHost, twoNodes(8, 6144))).toBe(false);
  });
  it('refuses more guest cells than host cells', () => {
    expect(f.hostPasses(numaHost, flavor(spec({ extraSpecs: { 'hw:numa_nodes': '3' } }), { vcpus: 3, memoryMb: 1536 }))).toBe(false);
  });
  it('honours explicit asymmetric cells', () => {
    const s = flavor(spec({ extraSpecs: { 'hw:numa_nodes': '2', 'hw:numa_cpus.0': '0', 'hw:numa_cpus.1': '1-5', 'hw:numa_mem.0': '512', 'hw:numa_mem.1': '1536' } }), { vcpus: 6, memoryMb: 2048 });
    expect(f.hostPasses(numaHost, s)).toBe(false); // a 5-CPU guest cell on 4-CPU host cells
    const s2 = flavor(spec({ extraSpecs: { 'hw:numa_nodes': '2', 'hw:numa_cpus.0': '0', 'hw:numa_cpus.1': '1-3', 'hw:numa_mem.0': '512', 'hw:numa_mem.1': '1536' } }), { vcpus: 4, memoryMb: 2048 });
    expect(f.hostPasses(numaHost, s2)).toBe(true);
  });
  it('places pinned CPUs only on free dedicated CPUs', () => {
    const busy = host({ numaTopology: { cells: [cell(0, { pinnedCpus: [0, 1, 2] }), cell(1, { pinnedCpus: [4, 5] })] } });
    const pinned = (vcpus: number) => flavor(spec({ extraSpecs: { 'hw:cpu_policy': 'dedicated' } }), { vcpus, memoryMb: 1024 });
    expect(f.hostPasses(busy, pinned(2))).toBe(true);
    expect(f.hostPasses(busy, pinned(3))).toBe(false);
  });
  it('never overcommits memory for pinned guests, whatever the RAM ratio', () => {
    const h = host({ ramAllocationRatio: 1.5, numaTopology: { cells: [cell(0, { memoryUsageMb: 1536 })] } });
    expect(f.hostPasses(h, flavor(spec({ extraSpecs: { 'hw:cpu_policy': 'dedicated' } }), { vcpus: 1, memoryMb: 512 }))).toBe(true);
    expect(f.hostPasses(h, flavor(spec({ extraSpecs: { 'hw:cpu_policy': 'dedicated' } }), { vcpus: 1, memoryMb: 1024 }))).toBe(false);
    expect(f.hostPasses(h, flavor(spec({ extraSpecs: { 'hw:numa_nodes': '1' } }), { vcpus: 1, memoryMb: 1024 }))).toBe(true);
  });
  it('a claim pins CPUs and takes memory, so the next pinned guest goes elsewhere', () => {
    const h = host({ numaTopology: { cells: [cell(0), cell(1, { pinnedCpus: [4, 5] })] } });
    const pinned = (uuid: string) => flavor(spec({ instanceUuid: uuid, extraSpecs: { 'hw:cpu_policy': 'dedicated' } }), { vcpus: 3, memoryMb: 1024 });
    const after = consumeFromRequest(h, pinned('vm1'));
    expect(after.numaTopology!.cells[0]).toMatchObject({ pinnedCpus: [0, 1, 2], memoryUsageMb: 1024 });
    expect(h.numaTopology!.cells[0]!.pinnedCpus).toEqual([]);
    expect(f.hostPasses(after, pinned('vm2'))).toBe(false);
    const shared = consumeFromRequest(h, flavor(spec({ extraSpecs: { 'hw:numa_nodes': '1' } }), { vcpus: 2, memoryMb: 512 }));
    expect(shared.numaTopology!.cells[0]).toMatchObject({ cpuUsage: 2, memoryUsageMb: 512, pinnedCpus: [] });
  });
  it('needs hyperthreads for the require thread policy', () => {
    const s = flavor(spec({ extraSpecs: { 'hw:cpu_policy': 'dedicated', 'hw:cpu_thread_policy': 'require' } }), { vcpus: 2, memoryMb: 512 });
    expect(f.hostPasses(numaHost, s)).toBe(false);
    const smt = host({ numaTopology: { cells: [cell(0, { siblings: [[0, 1], [2, 3]] })] } });
    expect(f.hostPasses(smt, s)).toBe(true);
  });
  it('applies the memory allocation ratio per cell, but never past a cell’s size for one guest cell', () => {
    const used = host({ ramAllocationRatio: 1.5, numaTopology: { cells: [cell(0, { memoryUsageMb: 2048 })] } });
    expect(f.hostPasses(used, flavor(spec({ extraSpecs: { 'hw:numa_nodes': '1' } }), { vcpus: 1, memoryMb: 1024 }))).toBe(true);
    expect(f.hostPasses(host({ ramAllocationRatio: 4, numaTopology: { cells: [cell(0)] } }), flavor(spec({ extraSpecs: { 'hw:numa_nodes': '1' } }), { vcpus: 1, memoryMb: 4096 }))).toBe(false);
  });
});

describe('PciPassthroughFilter', () => {
  const f = new PciPassthroughFilter();
  const gpuHost = host({ pciStats: [{ vendorId: '10de', productId: '1eb8', count: 2 }, { vendorId: '8086', productId: '1520', count: 1, tags: { physical_network: 'physnet1' } }] });
  const wants = (count: number, s: Record<string, string>) => spec({ pciRequests: [{ count, spec: [s] }] });
  it('passes requests without PCI devices anywhere', () => {
    expect(f.hostPasses(host(), spec())).toBe(true);
  });
  it('needs enough free matching devices', () => {
    expect(f.hostPasses(gpuHost, wants(2, { vendor_id: '10de', product_id: '1eb8' }))).toBe(true);
    expect(f.hostPasses(gpuHost, wants(3, { vendor_id: '10de', product_id: '1eb8' }))).toBe(false);
    expect(f.hostPasses(gpuHost, wants(1, { vendor_id: '8086', physical_network: 'physnet1' }))).toBe(true);
    expect(f.hostPasses(host(), wants(1, { vendor_id: '10de' }))).toBe(false);
  });
  it('matches properties regardless of case', () => {
    expect(f.hostPasses(gpuHost, wants(1, { vendor_id: '10DE' }))).toBe(true);
  });
  it('keeps physical functions, vDPA and remote-managed devices for requests that ask for them', () => {
    const h = host({ pciStats: [
      { vendorId: '8086', productId: 'pf', count: 1, tags: { dev_type: 'type-PF' } },
      { vendorId: '8086', productId: 'vd', count: 1, tags: { dev_type: 'vdpa' } },
      { vendorId: '8086', productId: 'rm', count: 1, tags: { dev_type: 'type-VF', remote_managed: 'true' } },
    ] });
    expect(f.hostPasses(h, wants(1, { vendor_id: '8086', product_id: 'pf' }))).toBe(false);
    expect(f.hostPasses(h, wants(1, { vendor_id: '8086', dev_type: 'type-PF' }))).toBe(true);
    expect(f.hostPasses(h, wants(1, { product_id: 'vd' }))).toBe(false);
    expect(f.hostPasses(h, wants(1, { product_id: 'vd', dev_type: 'vdpa' }))).toBe(true);
    expect(f.hostPasses(h, wants(1, { product_id: 'rm' }))).toBe(false);
    expect(f.hostPasses(h, wants(1, { product_id: 'rm', remote_managed: 'true' }))).toBe(true);
  });
  it('consumes devices across the requests of one instance', () => {
    const s = spec({ pciRequests: [{ count: 2, spec: [{ vendor_id: '10de' }] }, { count: 1, spec: [{ vendor_id: '10de' }] }] });
    expect(f.hostPasses(gpuHost, s)).toBe(false);
  });
  it('a claim takes the devices from the host, so the next request sees them gone', () => {
    const s = wants(2, { vendor_id: '10de' });
    const after = consumeFromRequest(gpuHost, s);
    expect(after.pciStats!.map((p) => p.count)).toEqual([0, 1]);
    expect(gpuHost.pciStats![0]!.count).toBe(2);
    expect(f.hostPasses(after, wants(1, { vendor_id: '10de' }))).toBe(false);
  });
});
