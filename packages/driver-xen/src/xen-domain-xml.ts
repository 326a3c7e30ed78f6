/**
 * The Xen (libxl) domain XML of a Nubo instance: a paravirtualised guest (`machine='xenpv'`)
 * booted the way Nova's Xen support booted one — directly from a kernel and ramdisk held in
 * dom0 (the AKI/ARI images named by the image's `kernel_id`/`ramdisk_id`) — with its disks on
 * Xen's bus. Disks and Nubo's metadata element are written by `@nubo/driver-libvirt`'s
 * builders, so the same reader maps a host's domains back to instances.
 */
import type { InstanceSpec } from '@nubo/core';
import { buildDiskXml, buildNuboMetadata, xmlEscape, type DomainDisk } from '@nubo/driver-libvirt';

/** How a PV guest gets its kernel: files in dom0 that libxl loads itself (pvgrub is not supported yet). */
export interface PvBoot {
  kind: 'direct';
  kernel: string;
  ramdisk: string | null;
  cmdline: string;
}

/** A disk in dom0 (`path`), on Xen's bus as `xvda` (root), `xvdb` (ephemeral), … */
export type XenDisk = DomainDisk;

export interface XenDomainDefinition {
  name: string;
  spec: InstanceSpec;
  boot: PvBoot;
  disks: XenDisk[];
  imageId: string | null;
  createdAt: Date;
}

/** The disk layout of Nova's Xen guests: root xvda, ephemeral xvdb, swap after them. */
export function xenDiskTargets(spec: Pick<InstanceSpec, 'ephemeralGb' | 'swapMb'>): { root: string; ephemeral: string | null; swap: string | null } {
  const ephemeral = spec.ephemeralGb > 0 ? 'xvdb' : null;
  const swap = spec.swapMb > 0 ? (ephemeral ? 'xvdc' : 'xvdb') : null;
  return { root: 'xvda', ephemeral, swap };
}

function bootXml(boot: PvBoot): string {
  const a = xmlEscape;
  return `
    <kernel>${a(boot.kernel)}</kernel>${boot.ramdisk ? `
    <initrd>${a(boot.ramdisk)}</initrd>` : ''}${boot.cmdline ? `
    <cmdline>${a(boot.cmdline)}</cmdline>` : ''}`;
}

/** Builds the `<domain type='xen'>` document for `def`. */
export function buildXenDomainXml(def: XenDomainDefinition): string {
  const { spec } = def;
  const a = xmlEscape;
  return `<domain type='xen'>
  <name>${a(def.name)}</name>
  <uuid>${a(spec.uuid)}</uuid>
  <title>${a(spec.name)}</title>
  <metadata>
    ${buildNuboMetadata(def)}
  </metadata>
  <memory unit='MiB'>${spec.memoryMb}</memory>
  <currentMemory unit='MiB'>${spec.memoryMb}</currentMemory>
  <vcpu placement='static'>${spec.vcpus}</vcpu>
  <os>
    <type arch='x86_64' machine='xenpv'>linux</type>${bootXml(def.boot)}
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>${def.disks.map((d) => buildDiskXml(d, 'xen')).join('')}
    <console type='pty'>
      <target type='xen' port='0'/>
    </console>
  </devices>
</domain>
`;
}
