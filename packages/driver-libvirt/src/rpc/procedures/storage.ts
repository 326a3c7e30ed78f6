/** Storage pool / volume procedures. */
import { XdrWriter } from '../xdr.js';
import type { RemoteCaller, StreamCaller } from '../rpc-client.js';
import type { RpcStream } from '../rpc-stream.js';
import { readNonnullStoragePool, readNonnullStorageVol, STRING_MAX, writeNonnullStoragePool, writeNonnullStorageVol, type RemoteStoragePool, type RemoteStorageVol } from '../types.js';
import { RemoteProcedure as P } from './remote-procedure.js';

/** STORAGE_POOL_LOOKUP_BY_NAME (84) */
export function storagePoolLookupByName(rpc: RemoteCaller, name: string): Promise<RemoteStoragePool> {
  const w = new XdrWriter().string(name, STRING_MAX);
  return rpc.call(P.STORAGE_POOL_LOOKUP_BY_NAME, w.toBuffer(), readNonnullStoragePool);
}

/** STORAGE_VOL_CREATE_XML (93): `xml` is a `<volume>` document. */
export function storageVolCreateXml(rpc: RemoteCaller, pool: RemoteStoragePool, xml: string, flags = 0): Promise<RemoteStorageVol> {
  const w = new XdrWriter();
  writeNonnullStoragePool(w, pool);
  w.string(xml, STRING_MAX).uint(flags);
  return rpc.call(P.STORAGE_VOL_CREATE_XML, w.toBuffer(), readNonnullStorageVol);
}

/** STORAGE_VOL_GET_PATH (100) */
export function storageVolGetPath(rpc: RemoteCaller, vol: RemoteStorageVol): Promise<string> {
  const w = new XdrWriter();
  writeNonnullStorageVol(w, vol);
  return rpc.call(P.STORAGE_VOL_GET_PATH, w.toBuffer(), (r) => r.string(STRING_MAX));
}

/** STORAGE_VOL_DELETE (94) */
export function storageVolDelete(rpc: RemoteCaller, vol: RemoteStorageVol, flags = 0): Promise<void> {
  const w = new XdrWriter();
  writeNonnullStorageVol(w, vol);
  w.uint(flags);
  return rpc.call(P.STORAGE_VOL_DELETE, w.toBuffer(), () => undefined);
}

/** STORAGE_POOL_CREATE_XML (76) flags */
export const PoolCreateFlags = { NORMAL: 0, WITH_BUILD: 1, WITH_BUILD_OVERWRITE: 2, WITH_BUILD_NO_OVERWRITE: 4 } as const;

/** STORAGE_POOL_CREATE_XML (76): a transient pool, started at once (WITH_BUILD makes its directory). */
export function storagePoolCreateXml(rpc: RemoteCaller, xml: string, flags = 0): Promise<RemoteStoragePool> {
  const w = new XdrWriter().string(xml, STRING_MAX).uint(flags);
  return rpc.call(P.STORAGE_POOL_CREATE_XML, w.toBuffer(), readNonnullStoragePool);
}

/** STORAGE_POOL_DESTROY (80): stops the pool (a transient one disappears); its files stay. */
export function storagePoolDestroy(rpc: RemoteCaller, pool: RemoteStoragePool): Promise<void> {
  const w = new XdrWriter();
  writeNonnullStoragePool(w, pool);
  return rpc.call(P.STORAGE_POOL_DESTROY, w.toBuffer(), () => undefined);
}

/** STORAGE_POOL_REFRESH (83): rescans the pool, e.g. for volumes made before the daemon restarted. */
export function storagePoolRefresh(rpc: RemoteCaller, pool: RemoteStoragePool, flags = 0): Promise<void> {
  const w = new XdrWriter();
  writeNonnullStoragePool(w, pool);
  w.uint(flags);
  return rpc.call(P.STORAGE_POOL_REFRESH, w.toBuffer(), () => undefined);
}

/** `virStoragePoolInfo`, sizes in bytes. */
export interface StoragePoolInfo {
  state: number;
  capacity: bigint;
  allocation: bigint;
  available: bigint;
}

/** STORAGE_POOL_GET_INFO (87) */
export function storagePoolGetInfo(rpc: RemoteCaller, pool: RemoteStoragePool): Promise<StoragePoolInfo> {
  const w = new XdrWriter();
  writeNonnullStoragePool(w, pool);
  return rpc.call(P.STORAGE_POOL_GET_INFO, w.toBuffer(), (r) => ({
    // `unsigned char state`: rpcgen sends it as a 4-byte unit.
    state: r.uint() & 0xff,
    capacity: r.uhyper(),
    allocation: r.uhyper(),
    available: r.uhyper(),
  }));
}

/** STORAGE_VOL_LOOKUP_BY_NAME (95): NO_STORAGE_VOL when the pool has no such volume. */
export function storageVolLookupByName(rpc: RemoteCaller, pool: RemoteStoragePool, name: string): Promise<RemoteStorageVol> {
  const w = new XdrWriter();
  writeNonnullStoragePool(w, pool);
  w.string(name, STRING_MAX);
  return rpc.call(P.STORAGE_VOL_LOOKUP_BY_NAME, w.toBuffer(), readNonnullStorageVol);
}

/** `virStorageVolInfo`, sizes in bytes. */
export interface StorageVolInfo {
  type: number;
  capacity: bigint;
  allocation: bigint;
}

/** STORAGE_VOL_GET_INFO (98) */
export function storageVolGetInfo(rpc: RemoteCaller, vol: RemoteStorageVol): Promise<StorageVolInfo> {
  const w = new XdrWriter();
  writeNonnullStorageVol(w, vol);
  return rpc.call(P.STORAGE_VOL_GET_INFO, w.toBuffer(), (r) => ({ type: r.uint() & 0xff, capacity: r.uhyper(), allocation: r.uhyper() }));
}

/**
 * STORAGE_VOL_UPLOAD (208): opens a stream that writes `length` bytes (0 = to the end) into
 * the volume from `offset`; send them with `stream.send`, then `stream.finish()`.
 */
export async function storageVolUpload(rpc: StreamCaller, vol: RemoteStorageVol, offset: bigint, length: bigint, flags = 0): Promise<RpcStream> {
  const w = new XdrWriter();
  writeNonnullStorageVol(w, vol);
  w.uhyper(offset).uhyper(length).uint(flags);
  return (await rpc.callWithStream(P.STORAGE_VOL_UPLOAD, w.toBuffer(), () => undefined)).stream;
}
