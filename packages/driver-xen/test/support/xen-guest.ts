// The test guests of the Xen host image, as Nubo spawn requests: Debian's kernel with a busybox
// initramfs, named by Nova's AKI/ARI image properties (kernel_id / ramdisk_id, files in dom0).
import type { ImageSource, InstanceSpec, SpawnRequest } from '@nubo/core';
import { bytesImageSource, sampleImageBytes } from '@nubo/core/testing';
import { connectListAllDomains, LibvirtConnection } from '@nubo/driver-libvirt';
import { XenDriver, type XenDriverOptions } from '../../src/index.js';
import { GUEST_DIR, inDom0, XEN_URI } from './xen-host.js';

export const PREFIX = 'nubo-test-';
/** The driver's pool directory in dom0 (its default). */
export const POOL_DIR = '/var/lib/nubo-xen/disks';

/**
 * The test host's driver options: the image's guest files as the kernel directory, and a
 * keepalive that tolerates an emulated dom0 on a loaded 2-core machine (its libvirtd can be
 * silent for more than libvirt's default 25 s while libxl builds a domain).
 */
export function driverOptions(): XenDriverOptions {
  return { uri: XEN_URI, kernelDir: GUEST_DIR, domainPrefix: PREFIX, softRebootTimeoutSec: 2, keepalive: { intervalMs: 10_000, count: 18 } };
}

export async function newDriver(): Promise<XenDriver> {
  const driver = new XenDriver(driverOptions());
  await driver.init('xen-test-host');
  return driver;
}

/** The image's first PV test guest (it prints `NUBO-XEN-GUEST-OK …`), 128 MiB. */
export function guestRequest(instance: InstanceSpec, properties: Record<string, string> = {}): SpawnRequest {
  const image = bytesImageSource(sampleImageBytes(1024), {
    id: 'xen-pv-test-guest',
    diskFormat: 'ami',
    containerFormat: 'ami',
    properties: { kernel_id: 'vmlinuz', ramdisk_id: 'initrd.img', os_command_line: 'console=hvc0 quiet', ...properties },
  });
  return { instance: { ...instance, memoryMb: 128 }, image, network: [], blockDevices: [] };
}

/**
 * A raw image whose first bytes are `marker`, booted with the disk test initramfs
 * (scripts/setup/xen.sh): it loads xen-blkfront and prints `NUBO-XEN-DISK <dev> bytes=<n>` for
 * each disk, `NUBO-XEN-XVDA <first 64 bytes>` and `NUBO-XEN-DISKS-DONE`. `opens` counts reads
 * of the image's bytes.
 */
export function diskGuestImage(id: string, marker: string): ImageSource & { opens: number } {
  const bytes = Buffer.alloc(4 << 20);
  bytes.write(marker, 'latin1');
  const src = bytesImageSource(bytes, {
    id,
    diskFormat: 'raw',
    containerFormat: 'bare',
    properties: { kernel_id: 'vmlinuz', ramdisk_id: 'initrd-disks.img', os_command_line: 'console=hvc0' },
  });
  const image = {
    meta: src.meta,
    opens: 0,
    open() {
      image.opens++;
      return src.open();
    },
  };
  return image;
}

export async function domainNames(): Promise<string[]> {
  const c = await LibvirtConnection.open(XEN_URI, { keepalive: false });
  try {
    return (await connectListAllDomains(c)).map((d) => d.name);
  } finally {
    await c.close();
  }
}

/** The files of the driver's pool in dom0 (checked over ssh, never used by the driver). */
export async function poolFiles(): Promise<string[]> {
  return (await inDom0(`ls -1 ${POOL_DIR} 2>/dev/null || true`)).split('\n').filter(Boolean);
}
