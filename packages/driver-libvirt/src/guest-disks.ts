/** Which guest device a volume gets, and how a volume's connection becomes a disk. */
import { Conflict, DriverError, type BlockDevice } from '@nubo/core';
import type { DomainDisk } from './domain-xml-elements.js';

/** A file-backed volume (`connection.path`, optional `connection.format`) as a virtio disk whose serial is the volume id. */
export function volumeDisk(b: BlockDevice, target: string): DomainDisk {
  const path = b.connection.path;
  if (typeof path !== 'string') throw new DriverError(`Volume ${b.volumeId} has no file path; the libvirt driver attaches file-backed volumes.`, false);
  const format = typeof b.connection.format === 'string' ? b.connection.format : 'qcow2';
  return { path, format, target, serial: b.volumeId };
}

/** The first virtio device name (vdb…vdz) not in `used`. */
export function nextFreeTarget(used: Set<string>): string {
  for (let c = 'b'.charCodeAt(0); c <= 'z'.charCodeAt(0); c++) {
    const t = `vd${String.fromCharCode(c)}`;
    if (!used.has(t)) return t;
  }
  throw new Conflict('No free virtio disk slot left.');
}
