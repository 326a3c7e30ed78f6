// Unit tests: the Xen domain XML, PV boot from image properties, and Xen URIs. No Xen needed.
import { describe, expect, it } from 'vitest';
import { DriverError } from '@nubo/core';
import { bytesImageSource, sampleImageBytes, sampleInstanceSpec } from '@nubo/core/testing';
import { NUBO_XMLNS, parseDomainXml, resolveLibvirtUri } from '@nubo/driver-libvirt';
import { buildXenDomainXml, pvBootFor, xenDiskTargets } from '../src/index.js';

const uuid = '0b6e4a8e-6f43-4d5c-9a53-3f0a0c1e2d77';
const spec = sampleInstanceSpec(uuid, { name: 'web <1>', memoryMb: 256, vcpus: 2, projectId: 'p1' });
const boot = { kind: 'direct' as const, kernel: '/var/lib/nubo-xen/kernels/aki-1', ramdisk: '/var/lib/nubo-xen/kernels/ari-1', cmdline: 'console=hvc0 quiet' };

describe('Xen domain XML', () => {
  const xml = buildXenDomainXml({ name: `nubo-${uuid}`, spec, boot, disks: [], imageId: 'ami-1', createdAt: new Date('2026-01-02T03:04:05Z') });

  it('is a PV guest of the libxl driver with the flavor’s vCPUs and memory', () => {
    expect(xml).toMatch(/^<domain type='xen'>/);
    expect(xml).toContain("<type arch='x86_64' machine='xenpv'>linux</type>");
    expect(xml).toContain("<memory unit='MiB'>256</memory>");
    expect(xml).toContain("<vcpu placement='static'>2</vcpu>");
    expect(xml).toContain(`<uuid>${uuid}</uuid>`);
  });

  it('boots the kernel and ramdisk in dom0 with the command line, and has a Xen console', () => {
    expect(xml).toContain('<kernel>/var/lib/nubo-xen/kernels/aki-1</kernel>');
    expect(xml).toContain('<initrd>/var/lib/nubo-xen/kernels/ari-1</initrd>');
    expect(xml).toContain('<cmdline>console=hvc0 quiet</cmdline>');
    expect(xml).toMatch(/<console type='pty'>\s*<target type='xen' port='0'\/>/);
  });

  it('carries Nubo’s metadata, which the libvirt driver’s reader maps back to the instance', () => {
    expect(xml).toContain(`xmlns:nubo='${NUBO_XMLNS}'`);
    const parsed = parseDomainXml(xml);
    expect(parsed.uuid).toBe(uuid);
    expect(parsed.nubo).toEqual({
      name: 'web <1>', projectId: 'p1', imageId: 'ami-1',
      flavor: { memoryMb: 256, vcpus: 2, rootGb: spec.rootGb, ephemeralGb: 0, swapMb: 0 },
    });
  });

  it('escapes what the user named', () => {
    expect(xml).toContain('<title>web &lt;1&gt;</title>');
  });

  it('puts disks on the Xen bus as xvd* devices', () => {
    const withDisks = buildXenDomainXml({
      name: 'n', spec, boot, imageId: null, createdAt: new Date(0),
      disks: [{ path: '/pool/root.qcow2', format: 'qcow2', target: 'xvda' }, { path: '/pool/swap.raw', format: 'raw', target: 'xvdb' }],
    });
    expect(parseDomainXml(withDisks).disks).toEqual([
      { path: '/pool/root.qcow2', format: 'qcow2', target: 'xvda' },
      { path: '/pool/swap.raw', format: 'raw', target: 'xvdb' },
    ]);
    expect(withDisks).toContain("<target dev='xvda' bus='xen'/>");
  });

  it('lays disks out as Nova’s Xen guests: root xvda, ephemeral xvdb, swap after it', () => {
    expect(xenDiskTargets({ ephemeralGb: 0, swapMb: 0 })).toEqual({ root: 'xvda', ephemeral: null, swap: null });
    expect(xenDiskTargets({ ephemeralGb: 1, swapMb: 0 })).toEqual({ root: 'xvda', ephemeral: 'xvdb', swap: null });
    expect(xenDiskTargets({ ephemeralGb: 0, swapMb: 512 })).toEqual({ root: 'xvda', ephemeral: null, swap: 'xvdb' });
    expect(xenDiskTargets({ ephemeralGb: 1, swapMb: 512 })).toEqual({ root: 'xvda', ephemeral: 'xvdb', swap: 'xvdc' });
  });
});

describe('PV boot from image properties (Nova’s AKI/ARI)', () => {
  const o = { kernelDir: '/k/', defaultCmdline: 'console=hvc0' };
  const image = (properties: Record<string, string>) => bytesImageSource(sampleImageBytes(16), { id: 'img-1', properties }).meta;

  it('boots kernel_id and ramdisk_id from the kernel directory, with os_command_line', () => {
    expect(pvBootFor(image({ kernel_id: 'aki-1', ramdisk_id: 'ari-1', os_command_line: 'root=/dev/xvda ro' }), o))
      .toEqual({ kind: 'direct', kernel: '/k/aki-1', ramdisk: '/k/ari-1', cmdline: 'root=/dev/xvda ro' });
    expect(pvBootFor(image({ kernel_id: 'aki-1' }), o)).toEqual({ kind: 'direct', kernel: '/k/aki-1', ramdisk: null, cmdline: 'console=hvc0' });
  });

  it('refuses, with a non-retryable DriverError, an image without kernel_id, an id that is a path, and boot from volume', () => {
    for (const bad of [() => pvBootFor(image({}), o), () => pvBootFor(image({ kernel_id: '../etc/passwd' }), o), () => pvBootFor(null, o)]) {
      expect(bad).toThrow(DriverError);
      try {
        bad();
      } catch (err) {
        expect((err as DriverError).retryable).toBe(false);
      }
    }
  });
});

describe('Xen URIs', () => {
  it('xen+tcp://HOST:PORT/system connects over TCP and opens xen:///system on the daemon', () => {
    expect(resolveLibvirtUri('xen+tcp://127.0.0.1:16510/system')).toEqual({ target: { host: '127.0.0.1', port: 16510 }, name: 'xen:///system' });
    expect(resolveLibvirtUri('xen+tcp://dom0.example/system')).toEqual({ target: { host: 'dom0.example', port: 16509 }, name: 'xen:///system' });
  });

  it('xen:///system on dom0 itself uses libvirtd’s unix socket', () => {
    expect(resolveLibvirtUri('xen:///system')).toEqual({ target: { path: '/run/libvirt/libvirt-sock' }, name: 'xen:///system' });
  });
});
