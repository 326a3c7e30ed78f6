/**
 * The remote-protocol procedures the Xen driver needs beyond those `@nubo/driver-libvirt`
 * already has, written on its exported call primitive and codecs (one client for both
 * drivers). Numbers and shapes from libvirt's remote_protocol.x.
 */
import {
  readNonnullStoragePool, STRING_MAX, writeNonnullDomain, writeNonnullStoragePool, writeOptionalString, XdrWriter,
  type RemoteCaller, type RemoteDomain, type RemoteStoragePool,
} from '@nubo/driver-libvirt';

export const XenRemoteProcedure = {
  STORAGE_POOL_CREATE_XML: 76,
  STORAGE_POOL_GET_INFO: 87,
  NODE_GET_FREE_MEMORY: 102,
  DOMAIN_OPEN_CONSOLE: 201,
} as const;
const P = XenRemoteProcedure;

/** NODE_GET_FREE_MEMORY (102): bytes the hypervisor has not given to any domain. */
export function nodeGetFreeMemory(rpc: RemoteCaller): Promise<bigint> {
  return rpc.call(P.NODE_GET_FREE_MEMORY, null, (r) => r.uhyper());
}

/** STORAGE_POOL_CREATE_XML (76): a transient pool, started at once. */
export function storagePoolCreateXml(rpc: RemoteCaller, xml: string, flags = 0): Promise<RemoteStoragePool> {
  const w = new XdrWriter().string(xml, STRING_MAX).uint(flags);
  return rpc.call(P.STORAGE_POOL_CREATE_XML, w.toBuffer(), readNonnullStoragePool);
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

export const OpenConsoleFlags = { FORCE: 1, SAFE: 2 } as const;

/**
 * DOMAIN_OPEN_CONSOLE (201): after the reply, the daemon sends the console's output as STREAM
 * packets carrying this procedure and the call's serial (`RpcClient.streams`).
 */
export function domainOpenConsole(rpc: RemoteCaller, dom: RemoteDomain, devName: string | null, flags = 0): Promise<void> {
  const w = new XdrWriter();
  writeNonnullDomain(w, dom);
  writeOptionalString(w, devName);
  w.uint(flags);
  return rpc.call(P.DOMAIN_OPEN_CONSOLE, w.toBuffer(), () => undefined);
}
