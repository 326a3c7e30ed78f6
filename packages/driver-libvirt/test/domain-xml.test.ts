import { describe, expect, it } from 'vitest';
import { PowerState } from '@nubo/core';
import { sampleInstanceSpec } from '@nubo/core/testing';
import { buildDomainXml, NUBO_XMLNS, parseCapabilities, parseDomainXml, powerStateOf, transitionOf, type DomainDefinition } from '../src/index.js';

const def = (overrides: Partial<DomainDefinition> = {}): DomainDefinition => ({
  name: 'nubo-0b5c',
  spec: sampleInstanceSpec('0b5c6e3a-1d2f-4c5b-9a8e-7f6d5c4b3a21', { name: `web <1> & 'two'`, ephemeralGb: 1, swapMb: 64, projectId: 'p1' }),
  virtType: 'qemu',
  machine: 'pc',
  arch: 'x86_64',
  disks: [
    { path: '/var/lib/nubo/instances/u/disk', format: 'qcow2', target: 'vda' },
    { path: '/var/lib/nubo/instances/u/disk.eph0', format: 'qcow2', target: 'vdb' },
    { path: '/srv/volumes/vol-1.qcow2', format: 'qcow2', target: 'vdc', serial: 'vol-1' },
  ],
  nics: [{ macAddress: 'fa:16:3e:00:00:01' }],
  serialLogPath: '/var/lib/nubo/instances/u/console.log',
  vncListen: '127.0.0.1',
  imageId: 'img-1',
  createdAt: new Date('2026-01-02T03:04:05Z'),
  ...overrides,
});

describe('domain XML', () => {
  it('describes the flavor, disks, NIC, serial log and VNC, and reads back what Nubo needs', () => {
    const xml = buildDomainXml(def());
    expect(xml).toContain("<domain type='qemu'>");
    expect(xml).toContain("<memory unit='MiB'>512</memory>");
    expect(xml).toContain("<vcpu placement='static'>1</vcpu>");
    expect(xml).toContain("<interface type='user'>");
    expect(xml).not.toContain('<cpu'); // TCG: QEMU's default CPU model
    const parsed = parseDomainXml(xml);
    expect(parsed.uuid).toBe('0b5c6e3a-1d2f-4c5b-9a8e-7f6d5c4b3a21');
    expect(parsed.disks.map((d) => [d.target, d.serial ?? null])).toEqual([['vda', null], ['vdb', null], ['vdc', 'vol-1']]);
    expect(parsed.nics).toEqual([{ macAddress: 'fa:16:3e:00:00:01' }]);
    expect(parsed.serialLogPath).toBe('/var/lib/nubo/instances/u/console.log');
    expect(parsed.vncListen).toBe('127.0.0.1');
    expect(parsed.vncPort).toBeNull(); // autoport: only a running domain has one
    expect(parsed.nubo).toEqual({
      name: `web <1> & 'two'`, projectId: 'p1', imageId: 'img-1',
      flavor: { memoryMb: 512, vcpus: 1, rootGb: 1, ephemeralGb: 1, swapMb: 64 },
    });
  });

  it('escapes names so that no instance name can inject XML', () => {
    const xml = buildDomainXml(def({ spec: sampleInstanceSpec('0b5c6e3a-1d2f-4c5b-9a8e-7f6d5c4b3a21', { name: "</title><devices/>'" }) }));
    expect(xml).toContain('<title>&lt;/title&gt;&lt;devices/&gt;&apos;</title>');
    expect(xml.match(/<devices>/g)).toHaveLength(1);
  });

  it('asks for the host CPU model under KVM, and no graphics when VNC is off', () => {
    const xml = buildDomainXml(def({ virtType: 'kvm', vncListen: null }));
    expect(xml).toContain("<domain type='kvm'>");
    expect(xml).toContain("<cpu mode='host-model'/>");
    expect(xml).not.toContain('<graphics');
  });

  it('reads the VNC port libvirt filled in on a running domain, and ignores foreign metadata', () => {
    const live = `<domain type='qemu' id='3'><name>x</name><uuid>u</uuid><metadata><nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1"><nova:name>n</nova:name></nova:instance></metadata>
      <devices><graphics type='vnc' port='5901' autoport='yes' listen='127.0.0.1'><listen type='address' address='127.0.0.1'/></graphics></devices></domain>`;
    const parsed = parseDomainXml(live);
    expect(parsed.vncPort).toBe(5901);
    expect(parsed.nubo).toBeNull();
  });

  it('namespaces Nubo’s metadata like Nova does its own', () => {
    expect(buildDomainXml(def())).toContain(`<nubo:instance xmlns:nubo='${NUBO_XMLNS}'>`);
  });
});

describe('host capabilities', () => {
  it('lists [arch, domain type, os type] for every guest libvirt offers, and the host CPU', () => {
    const caps = parseCapabilities(`<capabilities><host><uuid>x</uuid><cpu><arch>x86_64</arch><model>kvm64</model><vendor>AMD</vendor>
      <topology sockets='1' dies='1' cores='2' threads='1'/><feature name='vme'/><feature name='avx'/></cpu></host>
      <guest><os_type>hvm</os_type><arch name='i686'><domain type='qemu'/></arch></guest>
      <guest><os_type>hvm</os_type><arch name='x86_64'><domain type='qemu'/><domain type='kvm'/></arch></guest></capabilities>`);
    expect(caps.supportedInstances).toEqual([['i686', 'qemu', 'hvm'], ['x86_64', 'qemu', 'hvm'], ['x86_64', 'kvm', 'hvm']]);
    expect(caps.cpu).toEqual({ arch: 'x86_64', model: 'kvm64', vendor: 'AMD', topology: { sockets: 1, cores: 2, threads: 1 }, features: ['vme', 'avx'] });
  });
});

describe('power states and events', () => {
  it('maps libvirt states to Nova power states; a managed save reads as SUSPENDED', () => {
    expect([1, 2, 3, 4, 6, 7, 0].map((s) => powerStateOf(s, false))).toEqual([
      PowerState.RUNNING, PowerState.RUNNING, PowerState.PAUSED, PowerState.SHUTDOWN, PowerState.CRASHED, PowerState.SUSPENDED, PowerState.NOSTATE,
    ]);
    expect(powerStateOf(5, false)).toBe(PowerState.SHUTDOWN);
    expect(powerStateOf(5, true)).toBe(PowerState.SUSPENDED);
  });

  it('maps lifecycle events to transitions; definitions are not transitions', () => {
    expect(transitionOf(2, 0)).toBe('started');
    expect(transitionOf(5, 1)).toBe('stopped');
    expect(transitionOf(5, 4)).toBe('suspended'); // stopped because saved
    expect(transitionOf(3, 0)).toBe('paused');
    expect(transitionOf(4, 0)).toBe('resumed');
    expect(transitionOf(0, 0)).toBeNull();
    expect(transitionOf(1, 0)).toBeNull();
  });
});
