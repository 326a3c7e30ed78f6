/** The driver's directory storage pool in dom0: where its volumes live, and the host's local disk. */
import { LibvirtError, storagePoolLookupByName, xmlEscape, type RemoteCaller, type RemoteStoragePool } from '@nubo/driver-libvirt';
import { storagePoolCreateXml, storagePoolGetInfo, type StoragePoolInfo } from './rpc/procedures.js';

export class XenStoragePool {
  private constructor(private readonly rpc: RemoteCaller, readonly pool: RemoteStoragePool, readonly path: string) {}

  /** Looks the pool up, or creates it as a transient `dir` pool on `path` (which must exist in dom0). */
  static async ensure(rpc: RemoteCaller, name: string, path: string): Promise<XenStoragePool> {
    try {
      return new XenStoragePool(rpc, await storagePoolLookupByName(rpc, name), path);
    } catch (err) {
      if (!(err instanceof LibvirtError && err.isNotFound)) throw err;
    }
    const xml = `<pool type='dir'><name>${xmlEscape(name)}</name><target><path>${xmlEscape(path)}</path></target></pool>`;
    return new XenStoragePool(rpc, await storagePoolCreateXml(rpc, xml), path);
  }

  info(): Promise<StoragePoolInfo> {
    return storagePoolGetInfo(this.rpc, this.pool);
  }
}
