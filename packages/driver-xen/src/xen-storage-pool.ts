/**
 * The driver's directory storage pool in dom0: where the images and the instances' disks live
 * as libvirt volumes, and whose size is the host's local disk. Everything goes through
 * libvirt's storage API, so the driver needs no shell access to dom0.
 */
import {
  LibvirtError, LibvirtErrorCode, PoolCreateFlags, storagePoolCreateXml, storagePoolGetInfo, storagePoolLookupByName,
  storagePoolRefresh, storageVolCreateXml, storageVolDelete, storageVolGetPath, storageVolLookupByName, storageVolUpload,
  xmlEscape, type RemoteStoragePool, type RemoteStorageVol, type StoragePoolInfo, type StreamCaller,
} from '@nubo/driver-libvirt';

/** A volume of the pool and its path in dom0. */
export interface PoolVolume {
  vol: RemoteStorageVol;
  path: string;
}

export class XenStoragePool {
  private constructor(private readonly rpc: StreamCaller, readonly pool: RemoteStoragePool, readonly path: string) {}

  /**
   * Looks the pool up, or creates it as a transient `dir` pool on `path` (libvirt makes the
   * directory); then rescans it, so volumes made before libvirtd restarted are known again.
   */
  static async ensure(rpc: StreamCaller, name: string, path: string): Promise<XenStoragePool> {
    let pool: RemoteStoragePool;
    try {
      pool = await storagePoolLookupByName(rpc, name);
    } catch (err) {
      if (!(err instanceof LibvirtError && err.isNotFound)) throw err;
      const xml = `<pool type='dir'><name>${xmlEscape(name)}</name><target><path>${xmlEscape(path)}</path></target></pool>`;
      pool = await storagePoolCreateXml(rpc, xml, PoolCreateFlags.WITH_BUILD);
    }
    await storagePoolRefresh(rpc, pool);
    return new XenStoragePool(rpc, pool, path);
  }

  info(): Promise<StoragePoolInfo> {
    return storagePoolGetInfo(this.rpc, this.pool);
  }

  /** The volume called `name`, or null. */
  async find(name: string): Promise<PoolVolume | null> {
    try {
      const vol = await storageVolLookupByName(this.rpc, this.pool, name);
      return { vol, path: await storageVolGetPath(this.rpc, vol) };
    } catch (err) {
      if (err instanceof LibvirtError && err.code === LibvirtErrorCode.NO_STORAGE_VOL) return null;
      throw err;
    }
  }

  /** A raw file volume of `bytes` bytes, sparse unless `bytes` are then uploaded into it. */
  async createRaw(name: string, bytes: number): Promise<PoolVolume> {
    return this.create(`<volume><name>${xmlEscape(name)}</name><capacity unit='bytes'>${bytes}</capacity><allocation>0</allocation><target><format type='raw'/></target></volume>`);
  }

  /** A qcow2 volume of `bytes` (virtual) whose reads fall through to `backing` until written. */
  async createOverlay(name: string, bytes: number, backing: { path: string; format: string }): Promise<PoolVolume> {
    return this.create(`<volume><name>${xmlEscape(name)}</name><capacity unit='bytes'>${bytes}</capacity><target><format type='qcow2'/></target>` +
      `<backingStore><path>${xmlEscape(backing.path)}</path><format type='${xmlEscape(backing.format)}'/></backingStore></volume>`);
  }

  /** Writes `data` into `vol` from its start with libvirt's volume-upload stream. */
  async upload(vol: RemoteStorageVol, data: AsyncIterable<Uint8Array>, signal?: AbortSignal): Promise<number> {
    const stream = await storageVolUpload(this.rpc, vol, 0n, 0n);
    let sent = 0;
    try {
      for await (const chunk of data) {
        signal?.throwIfAborted();
        await stream.send(chunk);
        sent += chunk.length;
      }
      await stream.finish();
    } catch (err) {
      await stream.abort();
      throw err;
    }
    return sent;
  }

  /** Deletes the volume called `name`; one that is not there is fine. */
  async remove(name: string): Promise<void> {
    const found = await this.find(name);
    if (!found) return;
    await storageVolDelete(this.rpc, found.vol).catch((err: unknown) => {
      if (!(err instanceof LibvirtError && err.code === LibvirtErrorCode.NO_STORAGE_VOL)) throw err;
    });
  }

  private async create(xml: string): Promise<PoolVolume> {
    const vol = await storageVolCreateXml(this.rpc, this.pool, xml);
    return { vol, path: await storageVolGetPath(this.rpc, vol) };
  }
}
