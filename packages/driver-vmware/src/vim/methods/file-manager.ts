import { decodeMoRef } from '../decode.js';
import type { ManagedObjectReference } from '../types.js';
import { moRef, type VimConnection } from '../vim-connection.js';
import { child, el, type Xml } from '../xml.js';

/** Source and destination of a datastore file copy or move (datastore paths, `[ds] dir/file`). */
export interface DatastoreFileTransfer {
  sourceName: string;
  sourceDatacenter: ManagedObjectReference;
  destinationName: string;
  destinationDatacenter: ManagedObjectReference;
  /** Overwrite the destination if it exists. */
  force: boolean;
}

function transferArgs(t: DatastoreFileTransfer): Xml[] {
  return [
    el('sourceName', t.sourceName),
    moRef('sourceDatacenter', t.sourceDatacenter),
    el('destinationName', t.destinationName),
    moRef('destinationDatacenter', t.destinationDatacenter),
    el('force', t.force),
  ];
}

function taskOf(method: string, rv: ReturnType<typeof child>): ManagedObjectReference {
  if (!rv) throw new Error(`${method} returned no task`);
  return decodeMoRef(rv);
}

/** `FileManager.CopyDatastoreFile_Task`. */
export async function copyDatastoreFile_Task(
  conn: VimConnection,
  fileManager: ManagedObjectReference,
  transfer: DatastoreFileTransfer,
): Promise<ManagedObjectReference> {
  const res = await conn.invoke('CopyDatastoreFile_Task', fileManager, transferArgs(transfer));
  return taskOf('CopyDatastoreFile_Task', child(res, 'returnval'));
}

/** `FileManager.MoveDatastoreFile_Task`. */
export async function moveDatastoreFile_Task(
  conn: VimConnection,
  fileManager: ManagedObjectReference,
  transfer: DatastoreFileTransfer,
): Promise<ManagedObjectReference> {
  const res = await conn.invoke('MoveDatastoreFile_Task', fileManager, transferArgs(transfer));
  return taskOf('MoveDatastoreFile_Task', child(res, 'returnval'));
}

/** `FileManager.DeleteDatastoreFile_Task`. */
export async function deleteDatastoreFile_Task(
  conn: VimConnection,
  fileManager: ManagedObjectReference,
  name: string,
  datacenter: ManagedObjectReference,
): Promise<ManagedObjectReference> {
  const res = await conn.invoke('DeleteDatastoreFile_Task', fileManager, [el('name', name), moRef('datacenter', datacenter)]);
  return taskOf('DeleteDatastoreFile_Task', child(res, 'returnval'));
}
