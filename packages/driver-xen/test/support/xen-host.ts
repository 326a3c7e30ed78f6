// The real Xen host the tests run against: the shared xen-host scripts' Debian 12 Xen 4.17
// dom0 under QEMU (TCG). Built once into a cache folder (scripts/setup/xen.sh), booted by the
// first suite that needs it and stopped at its end — unless it was already running (a
// developer's host is reused and left alone).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LibvirtConnection } from '@nubo/driver-libvirt';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

export const XEN_HOST_DIR = process.env.XEN_HOST_DIR ?? '/var/cache/nubo/xen-host';
export const XEN_HOST_TOOLS = process.env.XEN_HOST_TOOLS ?? `${repoRoot}../shared/tools/xen-host`;
export const XEN_URI = `xen+tcp://127.0.0.1:${process.env.XEN_HOST_LIBVIRT_PORT ?? 16510}/system`;
/** Where the image ships the test guest (Debian's kernel + a busybox initramfs) in dom0. */
export const GUEST_DIR = '/var/lib/nubo-xen/guest';
/** The line the test guest's /init prints on hvc0. */
export const GUEST_LINE = /NUBO-XEN-GUEST-OK kernel=\S+ mem=\d+kB/;

export interface XenHostTimings {
  buildMs: number;
  bootMs: number;
  reused: boolean;
}

let startedHere = false;

async function libvirtAnswers(): Promise<boolean> {
  try {
    const c = await LibvirtConnection.open(XEN_URI, { connectTimeoutMs: 3000, keepalive: false });
    await c.close();
    return true;
  } catch {
    return false;
  }
}

/** Builds (or reuses) the image and boots the host unless libvirt already answers on XEN_URI. */
export async function ensureXenHost(): Promise<XenHostTimings> {
  if (await libvirtAnswers()) return { buildMs: 0, bootMs: 0, reused: true };
  const t0 = Date.now();
  await run('bash', [`${repoRoot}scripts/setup/xen.sh`], { env: { ...process.env, XEN_HOST_DIR, XEN_HOST_TOOLS }, timeout: 900_000, maxBuffer: 64 << 20 });
  const t1 = Date.now();
  if (!existsSync(`${XEN_HOST_DIR}/disk.raw`)) throw new Error(`no Xen host image in ${XEN_HOST_DIR} after scripts/setup/xen.sh`);
  startedHere = true;
  await run(`${XEN_HOST_TOOLS}/boot.sh`, [XEN_HOST_DIR, 'start'], { timeout: 900_000, maxBuffer: 64 << 20 });
  return { buildMs: t1 - t0, bootMs: Date.now() - t1, reused: false };
}

/** Stops the host if this process booted it (NUBO_XEN_KEEP=1 keeps it for the next run). */
export async function stopXenHost(): Promise<void> {
  if (!startedHere || process.env.NUBO_XEN_KEEP === '1') return;
  startedHere = false;
  await run(`${XEN_HOST_TOOLS}/boot.sh`, [XEN_HOST_DIR, 'stop'], { timeout: 180_000 });
}

/**
 * A command in dom0 over ssh with the image's key (used only to check what the driver did,
 * never by it). Its own ssh rather than `boot.sh ssh`: under load dom0 under TCG can take more
 * than that script's 5 s to accept a connection.
 */
export async function inDom0(command: string): Promise<string> {
  const { stdout } = await run('ssh', [
    '-q', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null', '-o', 'ConnectTimeout=60',
    '-i', `${XEN_HOST_DIR}/id_ed25519`, '-p', process.env.XEN_HOST_SSH_PORT ?? '2222', 'root@127.0.0.1', command,
  ], { timeout: 300_000 });
  return stdout;
}
