import { DriverError, SingleFlight, type ImageSource } from '@nubo/core';
import { datastoreFileExists, writeDatastoreFile } from './vim/datastore-file.js';
import { deleteDatastoreFile_Task, moveDatastoreFile_Task } from './vim/methods/file-manager.js';
import type { ManagedObjectReference } from './vim/types.js';
import type { VimClient } from './vim/vim-client.js';

/** The folder of the datastore that holds cached images, like Nova's `vmware_base`. */
export const IMAGE_CACHE_FOLDER = 'nubo_base';

/**
 * Images on the datastore, downloaded once and copied for every VM that boots from them, as
 * Nova's VMware driver keeps them in `[datastore] vmware_base/<image id>/`. An image is
 * uploaded under a temporary name and moved into place only when complete, so a download cut
 * short never leaves a cache entry; concurrent spawns of one image share one download.
 * Entries are never aged out (Nova's image cache manager is not implemented).
 */
export class DatastoreImageCache {
  private readonly downloads = new SingleFlight<string, string>();

  constructor(
    private readonly client: VimClient,
    private readonly datacenterPath: string,
    private readonly datacenter: ManagedObjectReference,
    private readonly datastore: string,
  ) {}

  /** The datastore path of the image's raw bytes, e.g. `[LocalDS_0] nubo_base/<id>/<id>-flat.vmdk`. */
  pathOf(imageId: string): string {
    const id = imageId.replace(/[^A-Za-z0-9._-]/g, '_');
    return `[${this.datastore}] ${IMAGE_CACHE_FOLDER}/${id}/${id}-flat.vmdk`;
  }

  /** Makes sure the image is in the cache and returns its path; reads the image only when it is not. */
  ensure(image: ImageSource): Promise<string> {
    return this.downloads.run(image.meta.id, () => this.fetch(image));
  }

  private async fetch(image: ImageSource): Promise<string> {
    const { conn } = this.client;
    const final = this.pathOf(image.meta.id);
    if (await datastoreFileExists(conn, this.datacenterPath, final)) return final;
    const fileManager = this.client.serviceContent.fileManager;
    if (!fileManager) throw new DriverError('This vSphere endpoint has no FileManager for the image cache.', false);
    const part = `${final}.part-${process.pid}-${Date.now()}`;
    try {
      await writeDatastoreFile(conn, this.datacenterPath, part, image.open());
      const move = await moveDatastoreFile_Task(conn, fileManager, {
        sourceName: part,
        sourceDatacenter: this.datacenter,
        destinationName: final,
        destinationDatacenter: this.datacenter,
        force: true,
      });
      await this.client.waitForTask(move);
      return final;
    } catch (err) {
      const del = await deleteDatastoreFile_Task(conn, fileManager, part, this.datacenter).catch(() => undefined);
      if (del) await this.client.waitForTask(del).catch(() => undefined);
      const e = err instanceof Error ? err : new Error(String(err));
      throw new DriverError(`Caching image ${image.meta.id} on datastore ${this.datastore} failed: ${e.message}`, true);
    }
  }
}
