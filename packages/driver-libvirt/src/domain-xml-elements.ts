/**
 * The pieces of a libvirt domain XML that every Nubo driver on libvirt writes the same way,
 * whatever the hypervisor (KVM/QEMU, Xen): escaping, a file-backed `<disk>`, and Nubo's
 * `<metadata>` element that maps a host's domains back to instances.
 */
import type { InstanceSpec } from '@nubo/core';

/** Namespace of Nubo's `<metadata>` element, like Nova's `http://openstack.org/xmlns/libvirt/nova/1.1`. */
export const NUBO_XMLNS = 'https://nubo.dev/xmlns/libvirt/instance/1.0';

export interface DomainDisk {
  path: string;
  /** qcow2, raw, … */
  format: string;
  /** Guest device: vda, vdb, … on virtio; xvda, xvdb, … on Xen's bus. */
  target: string;
  /** The disk's serial as the guest sees it; Nubo puts a volume's id there. */
  serial?: string;
}

/** Escapes text and attribute values. */
export function xmlEscape(s: string): string {
  return s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!);
}

/**
 * The `<disk>` element of one file-backed disk (also used alone for hot-plug). On virtio QEMU
 * bypasses the host cache and passes discards on; Xen's qdisk backend takes neither setting.
 */
export function buildDiskXml(d: DomainDisk, bus: 'virtio' | 'xen' = 'virtio'): string {
  const a = xmlEscape;
  const tuning = bus === 'virtio' ? ` cache='none' discard='unmap'` : '';
  return `
    <disk type='file' device='disk'>
      <driver name='qemu' type='${a(d.format)}'${tuning}/>
      <source file='${a(d.path)}'/>
      <target dev='${a(d.target)}' bus='${bus}'/>${d.serial ? `
      <serial>${a(d.serial)}</serial>` : ''}
    </disk>`;
}

/** Nubo's `<nubo:instance>` element: name, creation time, flavor, owner and image of the instance. */
export function buildNuboMetadata(o: { spec: InstanceSpec; createdAt: Date; imageId: string | null }): string {
  const { spec } = o;
  const a = xmlEscape;
  return `<nubo:instance xmlns:nubo='${NUBO_XMLNS}'>
      <nubo:name>${a(spec.name)}</nubo:name>
      <nubo:creationTime>${o.createdAt.toISOString()}</nubo:creationTime>
      <nubo:flavor memoryMb='${spec.memoryMb}' vcpus='${spec.vcpus}' rootGb='${spec.rootGb}' ephemeralGb='${spec.ephemeralGb}' swapMb='${spec.swapMb}'/>
      <nubo:owner projectId='${a(spec.projectId)}'/>${o.imageId ? `
      <nubo:image id='${a(o.imageId)}'/>` : ''}
    </nubo:instance>`;
}
