import { decodeMoRef } from '../decode.js';
import type { ManagedObjectReference } from '../types.js';
import { moRef, type VimConnection } from '../vim-connection.js';
import { child, el } from '../xml.js';

/**
 * `SearchIndex.FindByInventoryPath`, e.g. `DC0/vm/web-1` or `DC0/datastore/LocalDS_0`.
 * Returns undefined when nothing is at that path.
 */
export async function findByInventoryPath(
  conn: VimConnection,
  searchIndex: ManagedObjectReference,
  inventoryPath: string,
): Promise<ManagedObjectReference | undefined> {
  const res = await conn.invoke('FindByInventoryPath', searchIndex, [el('inventoryPath', inventoryPath)]);
  const rv = child(res, 'returnval');
  return rv ? decodeMoRef(rv) : undefined;
}

export interface FindByUuidOptions {
  /** Search only this datacenter. */
  datacenter?: ManagedObjectReference;
  /** Search VMs (true, the default) or hosts (false). */
  vmSearch?: boolean;
  /** Match `config.instanceUuid` instead of the BIOS `config.uuid`. */
  instanceUuid?: boolean;
}

/** `SearchIndex.FindByUuid`: a VM (or host) by UUID, or undefined when there is none. */
export async function findByUuid(
  conn: VimConnection,
  searchIndex: ManagedObjectReference,
  uuid: string,
  options: FindByUuidOptions = {},
): Promise<ManagedObjectReference | undefined> {
  const res = await conn.invoke('FindByUuid', searchIndex, [
    options.datacenter ? moRef('datacenter', options.datacenter) : el('datacenter', undefined),
    el('uuid', uuid),
    el('vmSearch', options.vmSearch ?? true),
    el('instanceUuid', options.instanceUuid),
  ]);
  const rv = child(res, 'returnval');
  return rv ? decodeMoRef(rv) : undefined;
}
