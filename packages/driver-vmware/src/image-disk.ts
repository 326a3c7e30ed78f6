import { DriverError, type ImageSource } from '@nubo/core';
import { writeDatastoreFile } from './vim/datastore-file.js';
import type { VimClient } from './vim/vim-client.js';

/** Image formats whose bytes are a disk's raw contents, so they can fill a flat extent as they are. */
const RAW_FORMATS = new Set(['raw']);

/**
 * Refuses, before anything is created, an image the driver cannot lay down: one that is not
 * raw, or larger than the root disk the flavor gives (Nova's FlavorDiskSmallerThanImage).
 */
export function checkImage(image: ImageSource, rootDiskKb: number): void {
  const format = image.meta.diskFormat ?? 'raw';
  if (!RAW_FORMATS.has(format)) {
    throw new DriverError(
      `Image ${image.meta.id} is ${format}; the VMware driver boots raw images (written into the root disk's flat extent).`,
      false,
    );
  }
  const size = image.meta.sizeBytes;
  if (size !== null && size > rootDiskKb * 1024) {
    throw new DriverError(
      `Image ${image.meta.id} (${size} bytes) is larger than the flavor's root disk (${rootDiskKb} KB).`,
      false,
    );
  }
}

/**
 * Writes the image's bytes into the root disk's flat extent (`<disk>-flat.vmdk`) over the
 * datastore's HTTP file access, the way Nova's VMware driver fills a flat disk it created with
 * CreateVirtualDisk_Task. The VM must still be powered off.
 */
export async function writeImageToDisk(
  client: VimClient,
  datacenterPath: string,
  rootDiskFile: string,
  image: ImageSource,
): Promise<void> {
  const flat = rootDiskFile.replace(/\.vmdk$/, '-flat.vmdk');
  try {
    await writeDatastoreFile(client.conn, datacenterPath, flat, image.open());
  } catch (err) {
    const e = err instanceof Error ? err : new Error(String(err));
    throw new DriverError(`Writing image ${image.meta.id} to ${flat} failed: ${e.message}`, true);
  }
}
