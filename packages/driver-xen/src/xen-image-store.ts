/**
 * The images of a Xen host, Nova's `_base` directory in dom0: each image's bytes are uploaded
 * once per host into the driver's pool (volume `image-<id>`) with libvirt's volume-upload
 * stream, and then back the root disk of every instance built from it.
 */
import { DriverError, SingleFlight, type ImageSource } from '@nubo/core';
import type { XenStoragePool } from './xen-storage-pool.js';

/** Glance disk formats the root overlay can sit on, and the qemu format of their bytes. */
const BACKING_FORMATS: Record<string, 'raw' | 'qcow2'> = { raw: 'raw', ami: 'raw', qcow2: 'qcow2' };
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export interface HostImage {
  path: string;
  format: 'raw' | 'qcow2';
  /** Bytes the guest sees: the file size of a raw image, the virtual size in a qcow2 header. */
  virtualSize: number;
}

export class XenImageStore {
  private readonly uploads = new SingleFlight<string, HostImage>();

  constructor(private readonly pool: XenStoragePool) {}

  static volumeName(imageId: string): string {
    return `image-${imageId}`;
  }

  /** Made once an image's upload has finished: an image volume without it is one cut short. */
  static completionMarkerName(imageId: string): string {
    return `image-${imageId}.complete`;
  }

  /** The image in dom0, uploading it first if this host does not have it; concurrent callers share one upload. */
  get(image: ImageSource): Promise<HostImage> {
    return this.uploads.run(image.meta.id, () => this.fetch(image));
  }

  private async fetch(image: ImageSource): Promise<HostImage> {
    const { id, diskFormat } = image.meta;
    const format = BACKING_FORMATS[diskFormat ?? 'raw'];
    if (!format) throw new DriverError(`Image ${id} has disk format ${diskFormat}; the Xen driver boots raw, ami and qcow2 images.`, false, { imageId: id });
    if (!SAFE_ID.test(id)) throw new DriverError(`Image id ${JSON.stringify(id)} is not a safe volume name.`, false, { imageId: id });
    const name = XenImageStore.volumeName(id);
    const marker = XenImageStore.completionMarkerName(id);
    const existing = await this.pool.find(name);
    if (existing && (await this.pool.find(marker))) return { path: existing.path, format, virtualSize: await this.virtualSizeOf(image, format) };
    // Left by an upload that a crash of this compute process cut short: it must never back a disk.
    if (existing) await this.pool.remove(name);

    // The volume needs its size up front; Glance records it, else the bytes are read first.
    let size = image.meta.sizeBytes;
    let data: AsyncIterable<Uint8Array> = image.open();
    if (size === null) {
      const chunks: Uint8Array[] = [];
      for await (const c of data) chunks.push(c);
      size = chunks.reduce((n, c) => n + c.length, 0);
      data = (async function* () { yield* chunks; })();
    }
    const vol = await this.pool.createRaw(name, size);
    const head = new HeaderSniffer();
    try {
      const sent = await this.pool.upload(vol.vol, head.watch(data));
      if (sent !== size) throw new DriverError(`Image ${id} delivered ${sent} bytes, not the ${size} it declares.`, true, { imageId: id });
      await this.pool.createRaw(marker, 0);
    } catch (err) {
      // A partial image must never back a disk.
      await this.pool.remove(name).catch(() => undefined);
      throw err;
    }
    return { path: vol.path, format, virtualSize: format === 'qcow2' ? qcow2VirtualSize(head.bytes, id) : size };
  }

  /** For an image uploaded earlier: its size is in Glance's record (raw) or its first bytes (qcow2). */
  private async virtualSizeOf(image: ImageSource, format: 'raw' | 'qcow2'): Promise<number> {
    if (format === 'raw' && image.meta.sizeBytes !== null) return image.meta.sizeBytes;
    const head = new HeaderSniffer();
    let total = 0;
    for await (const c of head.watch(image.open())) {
      total += c.length;
      if (format === 'qcow2' && head.bytes.length >= 32) break;
    }
    return format === 'qcow2' ? qcow2VirtualSize(head.bytes, image.meta.id) : total;
  }
}

/** Keeps the first bytes of a stream that passes through it. */
class HeaderSniffer {
  bytes = Buffer.alloc(0);

  async *watch(data: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    for await (const c of data) {
      if (this.bytes.length < 512) this.bytes = Buffer.concat([this.bytes, Buffer.from(c.subarray(0, 512 - this.bytes.length))]);
      yield c;
    }
  }
}

/** A qcow2 header: magic `QFI\xfb`, then the virtual size as a big-endian u64 at offset 24. */
function qcow2VirtualSize(head: Buffer, imageId: string): number {
  if (head.length < 32 || head.readUInt32BE(0) !== 0x514649fb) {
    throw new DriverError(`Image ${imageId} claims disk format qcow2 but its bytes are not qcow2.`, false, { imageId });
  }
  return Number(head.readBigUInt64BE(24));
}
