import { DriverError, type ImageSource } from '@nubo/core';
import type { DatastoreImageCache } from './image-cache.js';
import { copyDatastoreFile_Task } from './vim/methods/file-manager.js';
import type { ManagedObjectReference } from './vim/types.js';
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
 * Fills the root disk's flat extent (`<disk>-flat.vmdk`) with the image: from the datastore's
 * image cache (downloading the image into it first if needed) with CopyDatastoreFile_Task, the
 * way Nova's VMware driver copies a cached image for each VM. The VM must still be powered off.
 */
export async function copyImageToDisk(
  client: VimClient,
  cache: DatastoreImageCache,
  datacenter: ManagedObjectReference,
  rootDiskFile: string,
  image: ImageSource,
): Promise<void> {
  const cached = await cache.ensure(image);
  const flat = rootDiskFile.replace(/\.vmdk$/, '-flat.vmdk');
  const fileManager = client.serviceContent.fileManager;
  if (!fileManager) throw new DriverError('This vSphere endpoint has no FileManager to copy images.', false);
  const task = await copyDatastoreFile_Task(client.conn, fileManager, {
    sourceName: cached,
    sourceDatacenter: datacenter,
    destinationName: flat,
    destinationDatacenter: datacenter,
    force: true,
  });
  await client.waitForTask(task);
}
