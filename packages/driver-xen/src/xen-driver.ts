/**
 * `HypervisorDriver` for Xen through libvirt's libxl driver (Nova's libvirt driver with
 * `virt_type=xen`), over the same libvirt remote-protocol client as `@nubo/driver-libvirt`
 * and on its `LibvirtDomainOperations` (power operations, suspend, info, events). Guests are
 * paravirtualised: they boot a kernel and ramdisk held in dom0, and their disks are volumes of
 * the driver's storage pool there (root: a copy-on-write overlay of the host's copy of the image).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BadRequest, Conflict, DriverError, NotImplementedByDriver, NuboError,
  type DriverCapabilities, type HostResources, type HypervisorDriver, type InstanceSpec, type SnapshotTarget, type SpawnRequest,
} from '@nubo/core';
import {
  domainCreate, domainDefineXml, isUuid, LibvirtConnection, LibvirtDomainOperations, LibvirtError, nodeGetFreeMemory,
  resolveLibvirtUri, UndefineFlags, type RemoteDomain,
} from '@nubo/driver-libvirt';
import { readDomainConsole } from './console-stream.js';
import { pvBootFor } from './pv-boot.js';
import { buildXenDomainXml } from './xen-domain-xml.js';
import type { XenDriverOptions } from './xen-driver-options.js';
import { readXenHostResources } from './xen-host-resources.js';
import { XenImageStore } from './xen-image-store.js';
import { XenInstanceDisks } from './xen-instance-disks.js';
import { XenStoragePool } from './xen-storage-pool.js';

export class XenDriver extends LibvirtDomainOperations implements HypervisorDriver {
  /** What libvirt's libxl driver answers to `getType()`, and Nova's hypervisor_type for it. */
  readonly type = 'Xen';
  /**
   * Suspend is libxl's save of the guest's memory to dom0 (libvirt's managed save); snapshots,
   * resize, rebuild, volume attach and console endpoints are not offered (the console is read
   * with `readConsole`).
   */
  readonly capabilities: DriverCapabilities = Object.freeze({
    supportsPause: true,
    supportsSuspend: true,
    supportsSnapshot: false,
    supportsResize: false,
    supportsRebuild: false,
    supportsSoftReboot: true,
    supportsVolumeAttach: false,
    supportsConsole: false,
  });

  private pool: XenStoragePool | null = null;
  private images: XenImageStore | null = null;
  private disks: XenInstanceDisks | null = null;
  private readonly uri: string;
  private readonly builds = new Map<string, Promise<void>>();
  /** Domain starts of this driver's spawns, one at a time (see `startDomain`). */
  private starts: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: XenDriverOptions = {}) {
    super({
      driverName: 'Xen',
      domainPrefix: options.domainPrefix ?? 'nubo-',
      softRebootTimeoutSec: options.softRebootTimeoutSec ?? 60,
      // libxl keeps no snapshot metadata or NVRAM for PV guests and refuses those flags.
      undefineFlags: UndefineFlags.MANAGED_SAVE,
    });
    this.uri = options.uri ?? 'xen:///system';
  }

  async init(host: string): Promise<void> {
    await this.connectFor(host, this.uri,
      () => LibvirtConnection.open(this.uri, { keepalive: this.options.keepalive, connectTimeoutMs: this.options.connectTimeoutMs }),
      async (conn) => {
        this.pool = await XenStoragePool.ensure(conn, this.options.storagePool ?? 'nubo-xen', this.options.storageDir ?? '/var/lib/nubo-xen/disks');
        this.images = new XenImageStore(this.pool);
        this.disks = new XenInstanceDisks(this.pool);
      });
  }

  async spawn(request: SpawnRequest, signal?: AbortSignal): Promise<void> {
    const conn = this.connection();
    const spec = request.instance;
    signal?.throwIfAborted();
    if (!isUuid(spec.uuid)) throw new BadRequest(`Instance id ${JSON.stringify(spec.uuid)} is not a UUID.`);
    if (this.builds.has(spec.uuid) || (await this.find(spec.uuid))) throw new Conflict(`Instance ${spec.uuid} already exists on host ${this.host}.`);
    const done = this.build(conn, request, signal);
    this.builds.set(spec.uuid, done.catch(() => undefined));
    try {
      await done;
    } finally {
      this.builds.delete(spec.uuid);
    }
  }

  private async build(conn: LibvirtConnection, request: SpawnRequest, signal?: AbortSignal): Promise<void> {
    const spec = request.instance;
    const boot = pvBootFor(request.image?.meta ?? null, {
      kernelDir: this.options.kernelDir ?? '/var/lib/nubo-xen/kernels',
      defaultCmdline: this.options.defaultCmdline ?? 'console=hvc0',
    });
    const freeMb = Number((await nodeGetFreeMemory(conn)) / 1048576n);
    if (spec.memoryMb > freeMb) {
      throw new DriverError(`Instance ${spec.uuid} needs ${spec.memoryMb} MiB but Xen on host ${this.host} has ${freeMb} MiB free.`, true,
        { instanceUuid: spec.uuid, memoryMb: spec.memoryMb, freeMb });
    }
    signal?.throwIfAborted();
    const { images, disks } = this.storage();
    let dom: RemoteDomain | null = null;
    let disksMade = false;
    try {
      const image = await images.get(request.image!);
      signal?.throwIfAborted();
      const guestDisks = await disks.create(spec, image);
      disksMade = true;
      signal?.throwIfAborted();
      const xml = buildXenDomainXml({ name: this.domainName(spec.uuid), spec, boot, disks: guestDisks, imageId: request.image!.meta.id, createdAt: new Date() });
      dom = await domainDefineXml(conn, xml);
      signal?.throwIfAborted();
      await this.startDomain(conn, dom);
      signal?.throwIfAborted();
    } catch (err) {
      if (dom) await this.removeDomain(dom).catch(() => undefined);
      if (disksMade) await disks.remove(spec.uuid).catch(() => undefined);
      throw this.spawnError(spec.uuid, err);
    }
  }

  /**
   * Starts a new domain, one at a time per driver, trying once more after a failure: libxl
   * gives a guest's qdisk backend (a QEMU in dom0) a fixed 10 s to answer on QMP, which two
   * QEMUs starting together, or a busy dom0, can miss ("device model did not start"); libxl
   * then tears the half-built domain down, so a second start begins clean.
   */
  private startDomain(conn: LibvirtConnection, dom: RemoteDomain): Promise<void> {
    const attempt = async () => {
      try {
        await domainCreate(conn, dom);
      } catch (err) {
        if (!(err instanceof LibvirtError && /libxenlight failed to create new domain/.test(err.message))) throw err;
        await sleep(2000);
        await domainCreate(conn, dom);
      }
    };
    const started = this.starts.then(attempt, attempt);
    this.starts = started.catch(() => undefined);
    return started;
  }

  private spawnError(uuid: string, err: unknown): NuboError {
    if (err instanceof NuboError) return err;
    const detail = err instanceof LibvirtError ? { code: err.code, domain: err.domain } : {};
    return new DriverError(`Failed to spawn instance ${uuid} on Xen host ${this.host}: ${(err as Error).message}`, true, { instanceUuid: uuid, ...detail });
  }

  /** Removes the domain and, unless `destroyDisks` is false, the instance's volumes (never the image). */
  async destroy(instanceUuid: string, options: { destroyDisks?: boolean } = {}): Promise<void> {
    this.connection();
    if (!isUuid(instanceUuid)) return;
    await this.builds.get(instanceUuid);
    const dom = await this.find(instanceUuid);
    await this.run(instanceUuid, 'destroy', async () => {
      if (dom) await this.removeDomain(dom);
      if (options.destroyDisks ?? true) await this.storage().disks.remove(instanceUuid);
    });
  }

  /**
   * libvirt's managed save (libxl saves the guest's memory in dom0). Xen can save a PV guest
   * only once its kernel has published its p2m frame list; right after a start libxl refuses
   * ("Bad mfn 0 for p2m frame list") and leaves the guest running, so the save is tried again
   * for up to `suspendWaitSec`.
   */
  override async suspend(instanceUuid: string): Promise<void> {
    const deadline = Date.now() + (this.options.suspendWaitSec ?? 120) * 1000;
    for (;;) {
      try {
        await super.suspend(instanceUuid);
        return;
      } catch (err) {
        if (!(err instanceof DriverError && /Failed to save domain/.test(err.message)) || Date.now() > deadline) throw err;
        await sleep(5000);
      }
    }
  }

  async snapshot(_instanceUuid: string, _target: SnapshotTarget): Promise<void> {
    throw new NotImplementedByDriver('The Xen driver does not snapshot guests.');
  }

  async resize(_instanceUuid: string, _newSpec: InstanceSpec): Promise<void> {
    throw new NotImplementedByDriver('The Xen driver does not resize guests.');
  }

  async confirmResize(_instanceUuid: string): Promise<void> {
    throw new NotImplementedByDriver('The Xen driver does not resize guests.');
  }

  async revertResize(_instanceUuid: string, _oldSpec: InstanceSpec): Promise<void> {
    throw new NotImplementedByDriver('The Xen driver does not resize guests.');
  }

  async getAvailableResources(): Promise<HostResources> {
    return readXenHostResources(this.connection(), this.storage().pool, { hypervisorType: this.type, hostIp: this.options.hostIp ?? hostOfUri(this.uri) });
  }

  /**
   * The guest's console output (its `hvc0`) through libvirt's console stream, from now until
   * `until` matches; `DriverError` after `timeoutMs`.
   */
  async readConsole(instanceUuid: string, o: { until: RegExp; timeoutMs: number }): Promise<string> {
    const { dom } = await this.current(instanceUuid);
    return readDomainConsole(this.uri, dom.uuid, { ...o, connection: { connectTimeoutMs: this.options.connectTimeoutMs } });
  }

  private storage(): { pool: XenStoragePool; images: XenImageStore; disks: XenInstanceDisks } {
    this.connection();
    return { pool: this.pool!, images: this.images!, disks: this.disks! };
  }
}

function hostOfUri(uri: string): string {
  const target = resolveLibvirtUri(uri).target;
  return 'host' in target ? target.host : '127.0.0.1';
}
