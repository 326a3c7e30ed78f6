import { describe, expect, it } from 'vitest';
import {
  AggregateImagePropertiesIsolation,
  AggregateInstanceExtraSpecsFilter,
  AggregateIoOpsFilter,
  AggregateMultiTenancyIsolation,
  AggregateNumInstancesFilter,
  AggregateTypeAffinityFilter,
  AvailabilityZoneFilter,
} from '../src/index.js';
import { aggregate, host, spec } from './builders.js';

describe('AvailabilityZoneFilter', () => {
  const f = new AvailabilityZoneFilter('nova');
  it('passes every host when no zone is requested', () => {
    expect(f.hostPasses(host({ aggregates: [aggregate({ availability_zone: 'az1' })] }), spec())).toBe(true);
  });
  it('matches the zone of the host’s aggregates', () => {
    const h = host({ aggregates: [aggregate({ availability_zone: 'az1' })] });
    expect(f.hostPasses(h, spec({ availabilityZone: 'az1' }))).toBe(true);
    expect(f.hostPasses(h, spec({ availabilityZone: 'az2' }))).toBe(false);
  });
  it('puts a host in no zone aggregate in the default zone', () => {
    expect(f.hostPasses(host(), spec({ availabilityZone: 'nova' }))).toBe(true);
    expect(f.hostPasses(host(), spec({ availabilityZone: 'az1' }))).toBe(false);
  });
});

describe('AggregateInstanceExtraSpecsFilter', () => {
  const f = new AggregateInstanceExtraSpecsFilter();
  const ssd = host({ aggregates: [aggregate({ ssd: 'true', speed: '10' })] });
  it('passes any host for a flavor without extra specs', () => {
    expect(f.hostPasses(host(), spec())).toBe(true);
  });
  it('matches scoped and unscoped keys against aggregate metadata', () => {
    expect(f.hostPasses(ssd, spec({ extraSpecs: { 'aggregate_instance_extra_specs:ssd': 'true' } }))).toBe(true);
    expect(f.hostPasses(ssd, spec({ extraSpecs: { ssd: 'true' } }))).toBe(true);
    expect(f.hostPasses(ssd, spec({ extraSpecs: { 'aggregate_instance_extra_specs:speed': '>= 5' } }))).toBe(true);
    expect(f.hostPasses(ssd, spec({ extraSpecs: { 'aggregate_instance_extra_specs:ssd': 'false' } }))).toBe(false);
  });
  it('fails a host whose aggregates lack the key', () => {
    expect(f.hostPasses(host(), spec({ extraSpecs: { 'aggregate_instance_extra_specs:ssd': 'true' } }))).toBe(false);
  });
  it('ignores keys of other scopes', () => {
    expect(f.hostPasses(host(), spec({ extraSpecs: { 'capabilities:cpu_vendor': 'Intel', 'hw:cpu_policy': 'shared' } }))).toBe(true);
  });
  it('accepts any of several comma-separated aggregate values', () => {
    const h = host({ aggregates: [aggregate({ gpu: 'nvidia, amd' })] });
    expect(f.hostPasses(h, spec({ extraSpecs: { gpu: 'amd' } }))).toBe(true);
  });
});

describe('AggregateMultiTenancyIsolation', () => {
  const f = new AggregateMultiTenancyIsolation();
  it('keeps tenant-isolated hosts for their tenants', () => {
    const h = host({ aggregates: [aggregate({ filter_tenant_id: 'p1, p2' })] });
    expect(f.hostPasses(h, spec({ projectId: 'p2' }))).toBe(true);
    expect(f.hostPasses(h, spec({ projectId: 'p3' }))).toBe(false);
  });
  it('lets every tenant onto hosts without the key', () => {
    expect(f.hostPasses(host({ aggregates: [aggregate({ ssd: 'true' })] }), spec({ projectId: 'p3' }))).toBe(true);
  });
});

describe('AggregateTypeAffinityFilter', () => {
  const f = new AggregateTypeAffinityFilter();
  it('restricts hosts to the listed flavors', () => {
    const h = host({ aggregates: [aggregate({ instance_type: 'm1.tiny, m1.small' })] });
    expect(f.hostPasses(h, spec())).toBe(true);
    expect(f.hostPasses(h, { ...spec(), flavor: { ...spec().flavor, name: 'm1.large' } })).toBe(false);
  });
  it('passes hosts without instance_type metadata', () => {
    expect(f.hostPasses(host(), spec())).toBe(true);
  });
});

describe('AggregateImagePropertiesIsolation', () => {
  it('fails an image whose property value the aggregate does not list', () => {
    const f = new AggregateImagePropertiesIsolation();
    const h = host({ aggregates: [aggregate({ os_distro: 'windows' })] });
    expect(f.hostPasses(h, spec({ image: { id: 'i', properties: { os_distro: 'windows' } } }))).toBe(true);
    expect(f.hostPasses(h, spec({ image: { id: 'i', properties: { os_distro: 'linux' } } }))).toBe(false);
    expect(f.hostPasses(h, spec({ image: { id: 'i', properties: {} } }))).toBe(true);
  });
  it('looks only at keys in the configured namespace', () => {
    const f = new AggregateImagePropertiesIsolation('ns', '.');
    const h = host({ aggregates: [aggregate({ os_distro: 'windows', 'ns.os': 'linux' })] });
    expect(f.hostPasses(h, spec({ image: { id: 'i', properties: { os_distro: 'linux', 'ns.os': 'linux' } } }))).toBe(true);
    expect(f.hostPasses(h, spec({ image: { id: 'i', properties: { 'ns.os': 'bsd' } } }))).toBe(false);
  });
});

describe('AggregateIoOpsFilter and AggregateNumInstancesFilter', () => {
  it('take the smallest per-aggregate limit, else the global one', () => {
    const io = new AggregateIoOpsFilter(8);
    expect(io.hostPasses(host({ numIoOps: 5 }), spec())).toBe(true);
    expect(io.hostPasses(host({ numIoOps: 5, aggregates: [aggregate({ max_io_ops_per_host: '6' }), aggregate({ max_io_ops_per_host: '5' })] }), spec())).toBe(false);
    const ni = new AggregateNumInstancesFilter(50);
    expect(ni.hostPasses(host({ numInstances: 10, aggregates: [aggregate({ max_instances_per_host: '10' })] }), spec())).toBe(false);
    expect(ni.hostPasses(host({ numInstances: 10, aggregates: [aggregate({ max_instances_per_host: 'lots' })] }), spec())).toBe(true);
  });
});
