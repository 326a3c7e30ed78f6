/**
 * Which kernel a PV guest boots, from its image's properties, as Nova's Xen support chose it:
 * an image with `kernel_id` (and `ramdisk_id`) boots that kernel directly (Nova's AKI/ARI
 * images); `os_command_line` is the kernel command line.
 */
import { DriverError, type Image } from '@nubo/core';
import type { PvBoot } from './xen-domain-xml.js';

export interface PvBootOptions {
  /** Directory in dom0 that holds the AKI/ARI files, each named by its image id. */
  kernelDir: string;
  /** Used when the image has no `os_command_line`. */
  defaultCmdline: string;
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** The PV boot of `image`; a non-retryable `DriverError` for an image Xen cannot boot this way. */
export function pvBootFor(image: Image | null, o: PvBootOptions): PvBoot {
  if (!image) throw new DriverError('The Xen driver boots PV guests from an image; booting from a volume is not supported.', false);
  const kernelId = image.properties.kernel_id;
  const ramdiskId = image.properties.ramdisk_id ?? null;
  if (!kernelId) {
    throw new DriverError(
      `Image ${image.id} has no kernel_id property: the Xen driver boots PV guests from a kernel (AKI) and ramdisk (ARI) image; whole-disk images (pvgrub) are not supported.`,
      false, { imageId: image.id });
  }
  for (const [name, id] of [['kernel_id', kernelId], ['ramdisk_id', ramdiskId]] as const) {
    if (id !== null && !SAFE_ID.test(id)) throw new DriverError(`Image ${image.id} has an invalid ${name} ${JSON.stringify(id)}.`, false, { imageId: image.id });
  }
  const dir = o.kernelDir.replace(/\/+$/, '');
  return {
    kind: 'direct',
    kernel: `${dir}/${kernelId}`,
    ramdisk: ramdiskId ? `${dir}/${ramdiskId}` : null,
    cmdline: image.properties.os_command_line ?? o.defaultCmdline,
  };
}
