/**
 * `HypervisorDriver` for KVM/QEMU through libvirt, speaking libvirt's remote protocol to the
 * daemon directly (Nova's `nova/virt/libvirt/driver.py`).
 */
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BadRequest, Conflict, DriverError, NotFound, NotImplementedByDriver, NuboError, PowerState,
  type BlockDevice, type ConsoleEndpoint, type DriverCapabilities, type HostResources, type HypervisorDriver,
  type InstanceSpec, type SnapshotTarget, type SpawnRequest,
} from '@nubo/core';
import { buildDomainXml, parseDomainXml, type DomainNic } from './domain-xml.js';
import { buildDiskXml, type DomainDisk } from './domain-xml-elements.js';
import { nextFreeTarget, volumeDisk } from './guest-disks.js';
import { parseCapabilities } from './host-capabilities.js';
import { chooseVirtType, readHostResources } from './host-resources.js';
import { ImageCache, UnsupportedImageFormat } from './image-cache.js';
import { InstanceFiles, isUuid, RootDiskTooSmall } from './instance-files.js';
import { LibvirtDomainOperations, QEMU_UNDEFINE_FLAGS } from './libvirt-domain-operations.js';
import type { LibvirtDriverOptions } from './libvirt-driver-options.js';
import { powerStateConflict } from './power-state.js';
import { convertImage } from './qemu-img.js';
import { LibvirtConnection } from './rpc/libvirt-connection.js';
import { LibvirtError } from './rpc/libvirt-error.js';
import { connectGetCapabilities } from './rpc/procedures/connect.js';
import {
  domainAttachDevice, domainCreate, domainDefineXml, domainDetachDevice, domainGetXmlDesc, domainResume, domainSuspend,
  ModificationFlags, XmlFlags,
} from './rpc/procedures/domain.js';
import type { RemoteDomain } from './rpc/types.js';

const { RUNNING, PAUSED, SHUTDOWN } = PowerState;

export class LibvirtDriver extends LibvirtDomainOperations implements HypervisorDriver {
  /** Nova reports `QEMU` for both virt types: it is what libvirt's `getType()` says. */
  readonly type = 'QEMU';
  readonly capabilities: DriverCapabilities = Object.freeze({
    supportsPause: true,
    supportsSuspend: true,
    supportsSnapshot: true,
    supportsResize: true,
    supportsRebuild: false,
    supportsSoftReboot: true,
    supportsVolumeAttach: true,
    supportsConsole: true,
  });
  private resolvedVirtType: 'qemu' | 'kvm' = 'qemu';
  private arch = 'x86_64';
  private readonly instancesPath: string;
  private readonly images: ImageCache;
  private readonly builds = new Map<string, { abort: AbortController; done: Promise<void> }>();

  constructor(private readonly options: LibvirtDriverOptions = {}) {
    super({
      driverName: 'libvirt',
      domainPrefix: options.domainPrefix ?? 'nubo-',
      softRebootTimeoutSec: options.softRebootTimeoutSec ?? 60,
      undefineFlags: QEMU_UNDEFINE_FLAGS,
    });
    this.instancesPath = options.instancesPath ?? '/var/lib/nubo/instances';
    this.images = new ImageCache(options.imageCachePath ?? join(this.instancesPath, '_base'));
  }

  /** The virt type in use after `init` (`qemu` = TCG, `kvm` = hardware virtualisation). */
  get virtType(): 'qemu' | 'kvm' {
    return this.resolvedVirtType;
  }

  /** The file the guest's serial port writes to. */
  consoleLogPath(instanceUuid: string): string {
    return new InstanceFiles(this.instancesPath, instanceUuid).consoleLog;
  }

  async init(host: string): Promise<void> {
    const uri = this.options.uri ?? 'qemu:///system';
    const opened = await this.connectFor(host, uri,
      () => LibvirtConnection.open(uri, { socketPath: this.options.socketPath, keepalive: this.options.keepalive }),
      async (conn) => {
        const caps = parseCapabilities(await connectGetCapabilities(conn));
        this.arch = caps.cpu.arch;
        this.resolvedVirtType = chooseVirtType(this.options.virtType ?? 'auto', this.arch, caps.supportedInstances);
      });
    if (opened) await mkdir(this.instancesPath, { recursive: true, mode: 0o755 });
  }

  async spawn(request: SpawnRequest, signal?: AbortSignal): Promise<void> {
    const conn = this.connection();
    const spec = request.instance;
    signal?.throwIfAborted();
    if (!isUuid(spec.uuid)) throw new BadRequest(`Instance id ${JSON.stringify(spec.uuid)} is not a UUID.`);
    if (this.builds.has(spec.uuid) || (await this.find(spec.uuid))) {
      throw new Conflict(`Instance ${spec.uuid} already exists on host ${this.host}.`);
    }
    // `destroy` during the build aborts it; the build then cleans up after itself.
    const build = new AbortController();
    const cancelled = signal ? AbortSignal.any([signal, build.signal]) : build.signal;
    const done = this.build(conn, request, cancelled);
    this.builds.set(spec.uuid, { abort: build, done: done.then(() => undefined, () => undefined) });
    try {
      await done;
    } finally {
      this.builds.delete(spec.uuid);
    }
  }

  private async build(conn: LibvirtConnection, request: SpawnRequest, signal: AbortSignal): Promise<void> {
    const spec = request.instance;
    const files = new InstanceFiles(this.instancesPath, spec.uuid);
    let dom: RemoteDomain | null = null;
    try {
      await files.create();
      const disks = await this.buildDisks(request, files, signal);
      signal.throwIfAborted();
      const nics: DomainNic[] = request.network.length > 0 ? request.network.map((n) => ({ macAddress: n.macAddress })) : [{ macAddress: null }];
      const xml = this.domainXml(spec, disks, nics, request.image?.meta.id ?? null, files);
      await files.writeXml(xml);
      dom = await domainDefineXml(conn, xml);
      signal.throwIfAborted();
      await domainCreate(conn, dom);
      signal.throwIfAborted();
    } catch (err) {
      if (dom) await this.removeDomain(dom).catch(() => undefined);
      await files.remove().catch(() => undefined);
      if (signal.aborted) {
        throw signal.reason instanceof NuboError ? signal.reason : new DriverError(`Build of instance ${spec.uuid} was cancelled: ${String(signal.reason?.message ?? signal.reason)}`, false);
      }
      throw this.spawnError(spec.uuid, err);
    }
  }

  private async buildDisks(request: SpawnRequest, files: InstanceFiles, signal?: AbortSignal): Promise<DomainDisk[]> {
    let disks: DomainDisk[];
    let volumes = request.blockDevices;
    if (request.image) {
      const image = await this.images.get(request.image, signal);
      disks = await files.createDisks(request.instance, image, signal);
    } else {
      // Boot from volume: the first block device is the root disk.
      const [root, ...rest] = volumes;
      if (!root) throw new DriverError(`Instance ${request.instance.uuid} has neither an image nor a boot volume.`, false);
      disks = [volumeDisk(root, 'vda'), ...(await files.createExtraDisks(request.instance, signal))];
      volumes = rest;
    }
    for (const b of volumes) disks.push(volumeDisk(b, nextFreeTarget(new Set(disks.map((d) => d.target)))));
    return disks;
  }

  private domainXml(spec: InstanceSpec, disks: DomainDisk[], nics: DomainNic[], imageId: string | null, files: InstanceFiles): string {
    return buildDomainXml({
      name: this.domainName(spec.uuid),
      spec,
      virtType: this.resolvedVirtType,
      machine: this.options.machine ?? 'pc',
      arch: this.arch,
      disks,
      nics,
      serialLogPath: files.consoleLog,
      vncListen: this.options.vncListen === undefined ? '127.0.0.1' : this.options.vncListen,
      imageId,
      createdAt: new Date(),
    });
  }

  private spawnError(uuid: string, err: unknown): NuboError {
    if (err instanceof NuboError) return err;
    if (err instanceof RootDiskTooSmall || err instanceof UnsupportedImageFormat) return new DriverError(err.message, false, { instanceUuid: uuid });
    const detail = err instanceof LibvirtError ? { code: err.code, domain: err.domain } : {};
    return new DriverError(`Failed to spawn instance ${uuid} on host ${this.host}: ${(err as Error).message}`, true, { instanceUuid: uuid, ...detail });
  }

  async destroy(instanceUuid: string, options: { destroyDisks?: boolean } = {}): Promise<void> {
    this.connection();
    if (!isUuid(instanceUuid)) return; // nothing of ours can have such a name
    const building = this.builds.get(instanceUuid);
    if (building) {
      building.abort.abort(new DriverError(`Instance ${instanceUuid} was destroyed on host ${this.host} while it was building.`, false));
      await building.done;
    }
    const dom = await this.find(instanceUuid);
    try {
      if (dom) await this.removeDomain(dom);
      if (options.destroyDisks ?? true) await new InstanceFiles(this.instancesPath, instanceUuid).remove();
    } catch (err) {
      throw this.translate(err, instanceUuid, 'destroy');
    }
  }

  /**
   * Flattens the root disk (overlay plus image) into a standalone qcow2 with `qemu-img convert`
   * and uploads it. A running guest is paused for the copy so the disk holds still, then goes on.
   */
  async snapshot(instanceUuid: string, target: SnapshotTarget): Promise<void> {
    const { dom, state } = await this.current(instanceUuid);
    const conn = this.connection();
    const root = parseDomainXml(await domainGetXmlDesc(conn, dom)).disks.find((d) => d.target === 'vda');
    if (!root) throw new DriverError(`Instance ${instanceUuid} has no root disk to snapshot.`, false);
    const files = new InstanceFiles(this.instancesPath, instanceUuid);
    const out = join(files.dir, `snapshot-${target.imageId}.qcow2`);
    try {
      if (state === RUNNING) await domainSuspend(conn, dom);
      try {
        await convertImage(root.path, out, 'qcow2', { forceShare: true });
      } finally {
        if (state === RUNNING) await domainResume(conn, dom);
      }
      await target.upload(createReadStream(out), { diskFormat: 'qcow2', containerFormat: 'bare' });
    } catch (err) {
      throw this.translate(err, instanceUuid, 'snapshot');
    } finally {
      await rm(out, { force: true });
    }
  }

  /** Resize by redefining: the domain is stopped, redefined with the new flavor, and started again if it ran. */
  async resize(instanceUuid: string, newSpec: InstanceSpec): Promise<void> {
    if (newSpec.uuid !== instanceUuid) throw new BadRequest(`The new spec is for instance ${newSpec.uuid}, not ${instanceUuid}.`);
    const { dom, state } = await this.current(instanceUuid);
    if (state !== RUNNING && state !== SHUTDOWN) throw powerStateConflict(instanceUuid, 'resize', state);
    const files = new InstanceFiles(this.instancesPath, instanceUuid);
    if (await files.hasPendingResize()) throw new Conflict(`Instance ${instanceUuid} has a resize to confirm or revert first.`);
    const conn = this.connection();
    await this.run(instanceUuid, 'resize', async () => {
      const oldXml = await domainGetXmlDesc(conn, dom, XmlFlags.INACTIVE);
      const parsed = parseDomainXml(oldXml);
      const oldSpec: InstanceSpec = { ...newSpec, ...(parsed.nubo?.flavor ?? {}) };
      await this.hardStop(dom);
      const disks = await files.prepareResize(oldXml, oldSpec, newSpec);
      const volumes = parsed.disks.filter((d) => d.serial);
      const xml = this.domainXml(newSpec, [...disks, ...volumes], parsed.nics, parsed.nubo?.imageId ?? null, files);
      await files.writeXml(xml);
      await domainDefineXml(conn, xml);
      if (state === RUNNING) await domainCreate(conn, dom);
    });
  }

  async confirmResize(instanceUuid: string): Promise<void> {
    await this.current(instanceUuid);
    const files = new InstanceFiles(this.instancesPath, instanceUuid);
    if (!(await files.hasPendingResize())) throw new Conflict(`Instance ${instanceUuid} has no resize to confirm.`);
    await files.dropResizeBackup();
  }

  async revertResize(instanceUuid: string, _oldSpec: InstanceSpec): Promise<void> {
    const { dom, state } = await this.current(instanceUuid);
    const files = new InstanceFiles(this.instancesPath, instanceUuid);
    if (!(await files.hasPendingResize())) throw new Conflict(`Instance ${instanceUuid} has no resize to revert.`);
    const conn = this.connection();
    await this.run(instanceUuid, 'revert resize', async () => {
      await this.hardStop(dom);
      const xml = await files.restoreResize();
      await files.writeXml(xml);
      await domainDefineXml(conn, xml);
      if (state === RUNNING) await domainCreate(conn, dom);
    });
  }

  async getAvailableResources(): Promise<HostResources> {
    return readHostResources(this.connection(), { hypervisorType: this.type, instancesPath: this.instancesPath, hostIp: this.options.hostIp });
  }

  /** VNC only: the serial port goes to `console.log`, and SPICE is not configured. */
  async getConsole(instanceUuid: string, kind: ConsoleEndpoint['kind']): Promise<ConsoleEndpoint> {
    if (kind !== 'vnc') throw new NotImplementedByDriver(`The libvirt driver offers VNC consoles, not ${kind}.`);
    const { dom, state } = await this.current(instanceUuid);
    const parsed = parseDomainXml(await this.run(instanceUuid, 'read', () => domainGetXmlDesc(this.connection(), dom)));
    if (state !== RUNNING && state !== PAUSED) throw powerStateConflict(instanceUuid, 'get a console of', state);
    if (parsed.vncPort === null || parsed.vncListen === null) throw new NotImplementedByDriver(`Instance ${instanceUuid} has no VNC console.`);
    return { kind: 'vnc', host: parsed.vncListen, port: parsed.vncPort };
  }

  /** Attaches a file-backed volume (`connection.path`) as a virtio disk whose serial is the volume id. */
  async attachVolume(instanceUuid: string, device: BlockDevice): Promise<void> {
    const { dom, state } = await this.current(instanceUuid);
    const conn = this.connection();
    const parsed = parseDomainXml(await domainGetXmlDesc(conn, dom, XmlFlags.INACTIVE));
    if (parsed.disks.some((d) => d.serial === device.volumeId)) throw new Conflict(`Volume ${device.volumeId} is already attached to instance ${instanceUuid}.`);
    const used = new Set(parsed.disks.map((d) => d.target));
    const target = device.device?.replace(/^\/dev\//, '') ?? nextFreeTarget(used);
    const disk = volumeDisk(device, target);
    const flags = ModificationFlags.CONFIG | (state === RUNNING || state === PAUSED ? ModificationFlags.LIVE : 0);
    await this.run(instanceUuid, 'attach a volume to', () => domainAttachDevice(conn, dom, buildDiskXml(disk), flags));
  }

  async detachVolume(instanceUuid: string, volumeId: string): Promise<void> {
    const { dom, state } = await this.current(instanceUuid);
    const conn = this.connection();
    const disk = parseDomainXml(await domainGetXmlDesc(conn, dom, XmlFlags.INACTIVE)).disks.find((d) => d.serial === volumeId);
    if (!disk) throw new NotFound(`Volume ${volumeId} is not attached to instance ${instanceUuid}.`);
    const flags = ModificationFlags.CONFIG | (state === RUNNING || state === PAUSED ? ModificationFlags.LIVE : 0);
    await this.run(instanceUuid, 'detach a volume from', () => domainDetachDevice(conn, dom, buildDiskXml(disk), flags));
  }
}
