/**
 * The host's cache of images, Nova's `_base` directory: each image is read from the image
 * service once and then serves as the backing file of every instance built from it.
 */
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { ImageSource } from '@nubo/core';
import { imageInfo } from './qemu-img.js';

/** Glance disk formats and qemu's names for them. */
const QEMU_FORMATS: Record<string, string> = { raw: 'raw', qcow2: 'qcow2', vmdk: 'vmdk', vdi: 'vdi', vhd: 'vpc', vhdx: 'vhdx' };

export interface CachedImage {
  path: string;
  /** qemu's format name, for `-F`. */
  format: string;
  virtualSize: number;
}

export class ImageCache {
  private readonly inFlight = new Map<string, Promise<CachedImage>>();

  constructor(readonly dir: string) {}

  /** The cached copy of `image`, fetching it first if needed; concurrent callers share one fetch. */
  get(image: ImageSource, signal?: AbortSignal): Promise<CachedImage> {
    const id = image.meta.id;
    let p = this.inFlight.get(id);
    if (!p) {
      // Shared by every caller: one caller giving up must not cancel the others' fetch.
      p = this.fetch(image).finally(() => this.inFlight.delete(id));
      this.inFlight.set(id, p);
    }
    if (!signal) return p;
    signal.throwIfAborted();
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async fetch(image: ImageSource): Promise<CachedImage> {
    const diskFormat = image.meta.diskFormat ?? 'raw';
    const format = QEMU_FORMATS[diskFormat];
    if (!format) throw new UnsupportedImageFormat(`Image ${image.meta.id} has disk format ${diskFormat}, which the libvirt driver cannot boot.`);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(image.meta.id)) throw new UnsupportedImageFormat(`Image id ${image.meta.id} is not a safe file name.`);
    const path = join(this.dir, image.meta.id);
    const cached = await stat(path).catch(() => null);
    if (!cached) {
      await mkdir(this.dir, { recursive: true, mode: 0o755 });
      await chmod(this.dir, 0o755);
      const tmp = `${path}.part-${process.pid}-${Date.now()}`;
      try {
        await pipeline(Readable.from(image.open()), createWriteStream(tmp, { mode: 0o644 }));
        await rename(tmp, path);
      } catch (err) {
        await rm(tmp, { force: true });
        throw err;
      }
    }
    const info = await imageInfo(path, { forceShare: true });
    if (info.format !== format) {
      throw new UnsupportedImageFormat(`Image ${image.meta.id} claims disk format ${diskFormat} but its bytes are ${info.format}.`);
    }
    return { path, format, virtualSize: info.virtualSize };
  }
}

/** The image cannot back a libvirt disk (unknown format, or bytes that say otherwise). */
export class UnsupportedImageFormat extends Error {
  override readonly name = 'UnsupportedImageFormat';
}
