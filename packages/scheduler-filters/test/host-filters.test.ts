import { describe, expect, it } from 'vitest';
import {
  AllHostsFilter,
  ComputeCapabilitiesFilter,
  ComputeFilter,
  ImagePropertiesFilter,
  IoOpsFilter,
  IsolatedHostsFilter,
  MetricsFilter,
  NumInstancesFilter,
} from '../src/index.js';
import { host, spec } from './builders.js';

const image = (properties: Record<string, string>, id: string | null = null) => spec({ image: { id, properties } });

describe('AllHostsFilter and ComputeFilter', () => {
  it('AllHostsFilter passes even a disabled host', () => {
    expect(new AllHostsFilter().hostPasses()).toBe(true);
  });
  it('ComputeFilter drops disabled and down services', () => {
    const f = new ComputeFilter();
    expect(f.hostPasses(host())).toBe(true);
    expect(f.hostPasses(host({ serviceDisabled: true }))).toBe(false);
    expect(f.hostPasses(host({ serviceUp: false }))).toBe(false);
  });
});

describe('ComputeCapabilitiesFilter', () => {
  const f = new ComputeCapabilitiesFilter();
  it('matches capabilities:* against host attributes and stats', () => {
    const h = host({ stats: { cpu_vendor: 'Intel' } });
    expect(f.hostPasses(h, spec({ extraSpecs: { 'capabilities:cpu_vendor': 'Intel' } }))).toBe(true);
    expect(f.hostPasses(h, spec({ extraSpecs: { 'capabilities:cpu_vendor': 'AMD' } }))).toBe(false);
    expect(f.hostPasses(h, spec({ extraSpecs: { 'capabilities:free_ram_mb': '>= 1024' } }))).toBe(true);
    expect(f.hostPasses(h, spec({ extraSpecs: { 'capabilities:hypervisor_type': 's== qemu' } }))).toBe(true);
  });
  it('fails a host lacking the capability', () => {
    expect(f.hostPasses(host(), spec({ extraSpecs: { 'capabilities:cpu_vendor': 'Intel' } }))).toBe(false);
  });
  it('prints float attributes as Python does (16.0)', () => {
    expect(f.hostPasses(host({ cpuAllocationRatio: 16 }), spec({ extraSpecs: { 'capabilities:cpu_allocation_ratio': '16.0' } }))).toBe(true);
  });
  it('walks into JSON-valued stats', () => {
    const h = host({ stats: { cpu_info: JSON.stringify({ arch: 'x86_64', features: ['vmx'] }) } });
    expect(f.hostPasses(h, spec({ extraSpecs: { 'capabilities:cpu_info:arch': 'x86_64' } }))).toBe(true);
    expect(f.hostPasses(h, spec({ extraSpecs: { 'capabilities:cpu_info:arch': 'aarch64' } }))).toBe(false);
  });
  it('checks unscoped keys only when they name a host attribute or stat; ignores other scopes', () => {
    expect(f.hostPasses(host({ stats: { cpu_vendor: 'AMD' } }), spec({ extraSpecs: { cpu_vendor: 'Intel' } }))).toBe(false);
    expect(f.hostPasses(host(), spec({ extraSpecs: { unknown_key: 'x', 'hw:cpu_policy': 'dedicated' } }))).toBe(true);
  });
});

describe('ImagePropertiesFilter', () => {
  const f = new ImagePropertiesFilter();
  const h = host({ supportedInstances: [['x86_64', 'kvm', 'hvm']], hypervisorVersion: 6002000 });
  it('passes any host for an image without properties', () => {
    expect(f.hostPasses(host({ supportedInstances: [] }), image({}))).toBe(true);
  });
  it('matches architecture, hypervisor type and vm mode', () => {
    expect(f.hostPasses(h, image({ hw_architecture: 'x86_64', img_hv_type: 'kvm', hw_vm_mode: 'hvm' }))).toBe(true);
    expect(f.hostPasses(h, image({ hw_architecture: 'aarch64' }))).toBe(false);
    expect(f.hostPasses(h, image({ img_hv_type: 'xen' }))).toBe(false);
  });
  it('canonicalises aliases (amd64, hv)', () => {
    expect(f.hostPasses(h, image({ hw_architecture: 'AMD64', hw_vm_mode: 'hv' }))).toBe(true);
  });
  it('fails a host that advertises nothing when the image asks for something', () => {
    expect(f.hostPasses(host({ supportedInstances: [] }), image({ hw_architecture: 'x86_64' }))).toBe(false);
  });
  it('checks the requested hypervisor version', () => {
    expect(f.hostPasses(h, image({ img_hv_type: 'kvm', img_hv_requested_version: '>=6.0' }))).toBe(true);
    expect(f.hostPasses(h, image({ img_hv_type: 'kvm', img_hv_requested_version: '>=7.0' }))).toBe(false);
    expect(f.hostPasses(h, image({ img_hv_type: 'kvm', img_hv_requested_version: '>=6.0, <6.2' }))).toBe(false);
  });
  it('applies a default architecture to images without one', () => {
    expect(new ImagePropertiesFilter('aarch64').hostPasses(h, image({}))).toBe(false);
  });
});

describe('NumInstancesFilter and IoOpsFilter', () => {
  it('pass strictly below the limit', () => {
    expect(new NumInstancesFilter(50).hostPasses(host({ numInstances: 49 }), spec())).toBe(true);
    expect(new NumInstancesFilter(50).hostPasses(host({ numInstances: 50 }), spec())).toBe(false);
    expect(new IoOpsFilter(8).hostPasses(host({ numIoOps: 7 }), spec())).toBe(true);
    expect(new IoOpsFilter(8).hostPasses(host({ numIoOps: 8 }), spec())).toBe(false);
  });
});

describe('IsolatedHostsFilter', () => {
  const iso = host({ host: 'iso' });
  const plain = host({ host: 'plain' });
  it('with restriction: isolated images only on isolated hosts and vice versa', () => {
    const f = new IsolatedHostsFilter(['iso'], ['img-iso'], true);
    expect(f.hostPasses(iso, image({}, 'img-iso'))).toBe(true);
    expect(f.hostPasses(iso, image({}, 'img-other'))).toBe(false);
    expect(f.hostPasses(plain, image({}, 'img-iso'))).toBe(false);
    expect(f.hostPasses(plain, image({}, 'img-other'))).toBe(true);
  });
  it('without restriction: isolated hosts also take other images', () => {
    const f = new IsolatedHostsFilter(['iso'], ['img-iso'], false);
    expect(f.hostPasses(iso, image({}, 'img-other'))).toBe(true);
    expect(f.hostPasses(plain, image({}, 'img-iso'))).toBe(false);
  });
  it('with no isolated images, restricted isolated hosts take nothing', () => {
    expect(new IsolatedHostsFilter(['iso'], [], true).hostPasses(iso, image({}))).toBe(false);
    expect(new IsolatedHostsFilter(['iso'], [], false).hostPasses(iso, image({}))).toBe(true);
  });
});

describe('MetricsFilter', () => {
  it('needs every metric named in weight_setting', () => {
    const f = new MetricsFilter(['cpu.percent=1.0', 'mem.free=-1']);
    expect(f.hostPasses(host({ metrics: { 'cpu.percent': 10, 'mem.free': 3 } }))).toBe(true);
    expect(f.hostPasses(host({ metrics: { 'cpu.percent': 10 } }))).toBe(false);
  });
  it('ignores malformed setting items', () => {
    expect(new MetricsFilter(['nonsense', 'x=abc']).hostPasses(host())).toBe(true);
  });
});
