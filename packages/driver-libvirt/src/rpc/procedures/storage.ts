/** Storage pool / volume procedures. */
import { XdrWriter } from '../xdr.js';
import type { RemoteCaller } from '../rpc-client.js';
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
