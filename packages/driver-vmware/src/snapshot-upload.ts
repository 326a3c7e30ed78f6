import type { SnapshotTarget } from '@nubo/core';
import { DriverError } from '@nubo/core';
import { readDatastoreFile } from './vim/datastore-file.js';
import type { VimClient } from './vim/vim-client.js';

/**
 * Uploads the instance's root disk as a raw image: the flat extent (`-flat.vmdk`) of the base
 * disk, which a VM snapshot keeps unchanged while the guest writes to the delta disk.
 */
export async function uploadSnapshotDisk(
  client: VimClient,
  datacenterPath: string,
  rootDiskFile: string | undefined,
  target: SnapshotTarget,
): Promise<void> {
  if (!rootDiskFile) throw new DriverError('The instance has no root disk to snapshot.', false);
  const flat = rootDiskFile.replace(/\.vmdk$/, '-flat.vmdk');
  const data = await readDatastoreFile(client.conn, datacenterPath, flat);
  await target.upload(data, { diskFormat: 'raw', containerFormat: 'bare' });
}
