/**
 * Disk images through `qemu-img`, as Nova's libvirt driver builds them: a qcow2 overlay whose
 * backing file is the cached image (copy-on-write, instant, no copy), blank qcow2 files for
 * ephemeral and swap disks, and `convert` to flatten a disk for a snapshot.
 *
 * Why qemu-img and not libvirt's storage-volume RPC: volumes need a storage pool defined over
 * the instances directory (and refreshed when files appear), libvirtd must run on the same
 * host anyway for local disks, and qemu-img is what libvirt itself runs underneath.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A qemu-img failure, with its stderr. */
export class QemuImgError extends Error {
  override readonly name = 'QemuImgError';
}

async function qemuImg(args: string[], signal?: AbortSignal): Promise<string> {
  try {
    const { stdout } = await run('qemu-img', args, { signal, maxBuffer: 16 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string; name?: string };
    if (e.name === 'AbortError') throw err;
    throw new QemuImgError(`qemu-img ${args[0]} failed: ${(e.stderr || e.message).trim()}`);
  }
}

export interface ImageInfo {
  format: string;
  virtualSize: number;
  actualSize: number;
  backingFile: string | null;
}

export async function imageInfo(path: string, options: { forceShare?: boolean } = {}): Promise<ImageInfo> {
  const out = await qemuImg(['info', '--output=json', ...(options.forceShare ? ['-U'] : []), path]);
  const j = JSON.parse(out) as { format: string; 'virtual-size': number; 'actual-size': number; 'backing-filename'?: string };
  return { format: j.format, virtualSize: j['virtual-size'], actualSize: j['actual-size'], backingFile: j['backing-filename'] ?? null };
}

/** A qcow2 overlay on `backing` (of format `backingFormat`), `sizeBytes` large (default: the backing's size). */
export async function createOverlay(path: string, backing: string, backingFormat: string, sizeBytes?: number, signal?: AbortSignal): Promise<void> {
  await qemuImg(['create', '-q', '-f', 'qcow2', '-F', backingFormat, '-b', backing, path, ...(sizeBytes ? [String(sizeBytes)] : [])], signal);
}

/** A blank qcow2 disk. */
export async function createBlank(path: string, sizeBytes: number, signal?: AbortSignal): Promise<void> {
  await qemuImg(['create', '-q', '-f', 'qcow2', path, String(sizeBytes)], signal);
}

/** Grows a disk (never shrinks: qemu-img refuses that without --shrink). */
export async function resizeImage(path: string, sizeBytes: number): Promise<void> {
  await qemuImg(['resize', '-q', path, String(sizeBytes)]);
}

/** Flattens `src` (following its backing chain) into a standalone image of `format`. */
export async function convertImage(src: string, dest: string, format: string, options: { forceShare?: boolean } = {}): Promise<void> {
  await qemuImg(['convert', '-q', ...(options.forceShare ? ['-U'] : []), '-O', format, src, dest]);
}
