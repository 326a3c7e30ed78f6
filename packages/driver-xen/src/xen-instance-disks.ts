/**
 * An instance's disks as volumes of the driver's pool, in Nova's layout and names: the root
 * disk `<uuid>.disk` (a qcow2 overlay on the host's copy of the image), `<uuid>.disk.eph0` and
 * `<uuid>.disk.swap` (blank, sparse raw) when the flavor has them.
 */
import { DriverError, type InstanceSpec } from '@nubo/core';
import type { HostImage } from './xen-image-store.js';
import type { XenStoragePool } from './xen-storage-pool.js';
import { xenDiskTargets, type XenDisk } from './xen-domain-xml.js';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

export class XenInstanceDisks {
  constructor(private readonly pool: XenStoragePool) {}

  /** The volume names of an instance's disks, whether or not they exist. */
  static volumeNames(instanceUuid: string): { root: string; ephemeral: string; swap: string } {
    const u = instanceUuid.toLowerCase();
    return { root: `${u}.disk`, ephemeral: `${u}.disk.eph0`, swap: `${u}.disk.swap` };
  }

  /** Creates the disks of `spec` on `image`; what was made is removed again if a step fails. */
  async create(spec: InstanceSpec, image: HostImage): Promise<XenDisk[]> {
    const rootBytes = spec.rootGb * GiB;
    if (rootBytes > 0 && rootBytes < image.virtualSize) {
      throw new DriverError(`Flavor's disk is too small for requested image: ${spec.rootGb} GB < ${Math.ceil(image.virtualSize / GiB)} GB.`, false, { instanceUuid: spec.uuid });
    }
    const names = XenInstanceDisks.volumeNames(spec.uuid);
    const targets = xenDiskTargets(spec);
    const disks: XenDisk[] = [];
    try {
      const root = await this.pool.createOverlay(names.root, rootBytes || image.virtualSize, image);
      disks.push({ path: root.path, format: 'qcow2', target: targets.root });
      if (targets.ephemeral) {
        const eph = await this.pool.createRaw(names.ephemeral, spec.ephemeralGb * GiB);
        disks.push({ path: eph.path, format: 'raw', target: targets.ephemeral });
      }
      if (targets.swap) {
        const swap = await this.pool.createRaw(names.swap, spec.swapMb * MiB);
        disks.push({ path: swap.path, format: 'raw', target: targets.swap });
      }
    } catch (err) {
      await this.remove(spec.uuid).catch(() => undefined);
      throw err;
    }
    return disks;
  }

  /** Deletes the instance's volumes (never the image they sit on); missing ones are fine. */
  async remove(instanceUuid: string): Promise<void> {
    const names = XenInstanceDisks.volumeNames(instanceUuid);
    for (const name of [names.root, names.ephemeral, names.swap]) await this.pool.remove(name);
  }
}
