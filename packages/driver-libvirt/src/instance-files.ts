/**
 * An instance's directory on the host, Nova's layout: `<instances>/<uuid>/` holding `disk`
 * (qcow2 overlay on the cached image), `disk.eph0`, `disk.swap`, `console.log` (the serial
 * port) and `libvirt.xml`; `resize-orig/` keeps what a resize changed until confirm or revert.
 */
import { chmod, copyFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BadRequest, type InstanceSpec } from '@nubo/core';
import type { DomainDisk } from './domain-xml-elements.js';
import type { CachedImage } from './image-cache.js';
import { createBlank, createOverlay, resizeImage } from './qemu-img.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

/** The flavor's root disk is smaller than the image it should hold (Nova's FlavorDiskSmallerThanImage). */
export class RootDiskTooSmall extends Error {
  override readonly name = 'RootDiskTooSmall';
}

export function isUuid(s: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
}

export class InstanceFiles {
  readonly dir: string;

  /** Throws `BadRequest` for anything but a UUID: the directory is removed recursively on destroy. */
  constructor(instancesPath: string, readonly uuid: string) {
    if (!isUuid(uuid)) throw new BadRequest(`Instance id ${JSON.stringify(uuid)} is not a UUID.`);
    this.dir = join(instancesPath, uuid.toLowerCase());
  }

  get rootDisk(): string { return join(this.dir, 'disk'); }
  get ephemeralDisk(): string { return join(this.dir, 'disk.eph0'); }
  get swapDisk(): string { return join(this.dir, 'disk.swap'); }
  get consoleLog(): string { return join(this.dir, 'console.log'); }
  get xmlFile(): string { return join(this.dir, 'libvirt.xml'); }
  private get resizeDir(): string { return join(this.dir, 'resize-orig'); }

  /** Creates the directory; QEMU runs as another user (libvirt-qemu) and must be able to enter it. */
  async create(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o755 });
    await chmod(this.dir, 0o755);
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }

  /** Builds the disks of `spec`: root overlay on `image`, then ephemeral and swap when the flavor has them. */
  async createDisks(spec: InstanceSpec, image: CachedImage, signal?: AbortSignal): Promise<DomainDisk[]> {
    const rootBytes = spec.rootGb * GiB;
    if (rootBytes > 0 && rootBytes < image.virtualSize) {
      throw new RootDiskTooSmall(`Flavor's disk is too small for requested image: ${spec.rootGb} GB < ${Math.ceil(image.virtualSize / GiB)} GB.`);
    }
    await createOverlay(this.rootDisk, image.path, image.format, rootBytes || undefined, signal);
    const disks: DomainDisk[] = [{ path: this.rootDisk, format: 'qcow2', target: 'vda' }];
    return [...disks, ...(await this.createExtraDisks(spec, signal))];
  }

  /** Ephemeral (vdb) and swap (next) disks, blank; Nova formats them, Nubo leaves that to the guest. */
  async createExtraDisks(spec: InstanceSpec, signal?: AbortSignal): Promise<DomainDisk[]> {
    const disks: DomainDisk[] = [];
    let letter = 'b'.charCodeAt(0);
    if (spec.ephemeralGb > 0) {
      await createBlank(this.ephemeralDisk, spec.ephemeralGb * GiB, signal);
      disks.push({ path: this.ephemeralDisk, format: 'qcow2', target: `vd${String.fromCharCode(letter++)}` });
    }
    if (spec.swapMb > 0) {
      await createBlank(this.swapDisk, spec.swapMb * MiB, signal);
      disks.push({ path: this.swapDisk, format: 'qcow2', target: `vd${String.fromCharCode(letter++)}` });
    }
    return disks;
  }

  async writeXml(xml: string): Promise<void> {
    await writeFile(this.xmlFile, xml, { mode: 0o644 });
  }

  async hasPendingResize(): Promise<boolean> {
    return (await stat(this.resizeDir).catch(() => null)) !== null;
  }

  /**
   * Keeps the current XML and disks aside, then shapes the disks for `newSpec`: the root disk
   * grows (never shrinks), ephemeral and swap are made anew at their new sizes.
   */
  async prepareResize(oldXml: string, oldSpec: InstanceSpec, newSpec: InstanceSpec): Promise<DomainDisk[]> {
    await mkdir(this.resizeDir, { mode: 0o755 });
    await writeFile(join(this.resizeDir, 'libvirt.xml'), oldXml);
    await copyFile(this.rootDisk, join(this.resizeDir, 'disk'));
    for (const f of ['disk.eph0', 'disk.swap']) {
      await rename(join(this.dir, f), join(this.resizeDir, f)).catch(() => undefined);
    }
    if (newSpec.rootGb > oldSpec.rootGb) await resizeImage(this.rootDisk, newSpec.rootGb * GiB);
    return [{ path: this.rootDisk, format: 'qcow2', target: 'vda' }, ...(await this.createExtraDisks(newSpec))];
  }

  /** Puts the disks kept by `prepareResize` back and returns the XML from before the resize. */
  async restoreResize(): Promise<string> {
    const xml = await readFile(join(this.resizeDir, 'libvirt.xml'), 'utf8');
    await rm(this.ephemeralDisk, { force: true });
    await rm(this.swapDisk, { force: true });
    for (const f of ['disk', 'disk.eph0', 'disk.swap']) {
      await rename(join(this.resizeDir, f), join(this.dir, f)).catch(() => undefined);
    }
    await rm(this.resizeDir, { recursive: true, force: true });
    return xml;
  }

  async dropResizeBackup(): Promise<void> {
    await rm(this.resizeDir, { recursive: true, force: true });
  }
}
