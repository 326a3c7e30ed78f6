/**
 * `HypervisorDriver` for Xen through libvirt's libxl driver (Nova's libvirt driver with
 * `virt_type=xen`), over the same libvirt remote-protocol client as `@nubo/driver-libvirt`.
 * Guests are paravirtualised and boot a kernel and ramdisk held in dom0.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { filter, map, Subject, type Observable, type Subscription } from 'rxjs';
import {
  BadRequest, Conflict, DriverError, NotFound, NotImplementedByDriver, NuboError, PowerState, ServiceUnavailable,
  type DriverCapabilities, type HostResources, type HypervisorDriver, type InstanceInfo, type InstanceSpec,
  type LifecycleEvent, type RebootType, type SnapshotTarget, type SpawnRequest,
} from '@nubo/core';
import {
  connectListAllDomains, domainCreate, domainDefineXml, domainDestroy, domainGetInfo, domainGetState, domainLookupByUuid,
  domainResume, domainShutdown, domainSuspend, domainUndefine, DomainState, isUuid, LibvirtConnection, LibvirtError,
  LibvirtErrorCode, powerStateConflict, powerStateOf, resolveLibvirtUri, toNuboError, transitionOf, type RemoteDomain,
} from '@nubo/driver-libvirt';
import { readDomainConsole } from './console-stream.js';
import { pvBootFor } from './pv-boot.js';
import { nodeGetFreeMemory } from './rpc/procedures.js';
import { XenStoragePool } from './xen-storage-pool.js';
import { readXenHostResources } from './xen-host-resources.js';
import { buildXenDomainXml } from './xen-domain-xml.js';
import type { XenDriverOptions } from './xen-driver-options.js';

const { RUNNING, PAUSED, SHUTDOWN, CRASHED, NOSTATE } = PowerState;

export class XenDriver implements HypervisorDriver {
  /** What libvirt's libxl driver answers to `getType()`, and Nova's hypervisor_type for it. */
  readonly type = 'Xen';
  /**
   * libxl can save a PV guest (suspend), but Nubo's Xen driver does not offer it yet; nor
   * snapshots or resize (they need disks, which the PV guests here do not have) or consoles
   * other than the console stream (`readConsole`).
   */
  readonly capabilities: DriverCapabilities = Object.freeze({
    supportsPause: true,
    supportsSuspend: false,
    supportsSnapshot: false,
    supportsResize: false,
    supportsRebuild: false,
    supportsSoftReboot: true,
    supportsVolumeAttach: false,
    supportsConsole: false,
  });
  readonly lifecycleEvents: Observable<LifecycleEvent>;

  private readonly events = new Subject<LifecycleEvent>();
  private conn: LibvirtConnection | null = null;
  private eventSubscription: Subscription | null = null;
  private host: string | null = null;
  private pool: XenStoragePool | null = null;
  private readonly uri: string;
  private readonly prefix: string;
  private readonly builds = new Map<string, Promise<void>>();

  constructor(private readonly options: XenDriverOptions = {}) {
    this.uri = options.uri ?? 'xen:///system';
    this.prefix = options.domainPrefix ?? 'nubo-';
    this.lifecycleEvents = this.events.asObservable();
  }

  /** The libvirt domain name of an instance. */
  domainName(instanceUuid: string): string {
    return `${this.prefix}${instanceUuid}`;
  }

  async init(host: string): Promise<void> {
    if (!host) throw new BadRequest('The Xen driver needs a host name.');
    if (this.host !== null) {
      if (this.host === host) return;
      throw new Conflict(`The Xen driver is already initialised for host ${this.host}, not ${host}.`);
    }
    try {
      this.conn = await LibvirtConnection.open(this.uri, { keepalive: this.options.keepalive, connectTimeoutMs: this.options.connectTimeoutMs });
      this.pool = await XenStoragePool.ensure(this.conn, this.options.storagePool ?? 'nubo-xen', this.options.storageDir ?? '/var/lib/nubo-xen');
      await this.conn.enableLifecycleEvents();
    } catch (err) {
      await this.conn?.close().catch(() => undefined);
      this.conn = null;
      throw new ServiceUnavailable(`Cannot reach the Xen host at ${this.uri}: ${(err as Error).message}`, { uri: this.uri });
    }
    this.eventSubscription = this.conn.lifecycleEvents.pipe(
      filter((e) => e.domain.name.startsWith(this.prefix)),
      map((e) => ({ uuid: e.domain.uuid, transition: transitionOf(e.event, e.detail) })),
      filter((e) => e.transition !== null),
    ).subscribe((e) => this.events.next({ instanceUuid: e.uuid, transition: e.transition!, at: new Date() }));
    this.host = host;
  }

  /** Disconnects; guests keep running (they belong to Xen, not to this process). */
  async close(): Promise<void> {
    this.eventSubscription?.unsubscribe();
    this.eventSubscription = null;
    const conn = this.conn;
    this.conn = null;
    this.host = null;
    await conn?.close();
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
    const xml = buildXenDomainXml({ name: this.domainName(spec.uuid), spec, boot, disks: [], imageId: request.image?.meta.id ?? null, createdAt: new Date() });
    let dom: RemoteDomain | null = null;
    try {
      dom = await domainDefineXml(conn, xml);
      signal?.throwIfAborted();
      await domainCreate(conn, dom);
      signal?.throwIfAborted();
    } catch (err) {
      if (dom) await this.removeDomain(dom).catch(() => undefined);
      throw this.spawnError(spec.uuid, err);
    }
  }

  private spawnError(uuid: string, err: unknown): NuboError {
    if (err instanceof NuboError) return err;
    const detail = err instanceof LibvirtError ? { code: err.code, domain: err.domain } : {};
    return new DriverError(`Failed to spawn instance ${uuid} on Xen host ${this.host}: ${(err as Error).message}`, true, { instanceUuid: uuid, ...detail });
  }

  async destroy(instanceUuid: string, _options: { destroyDisks?: boolean } = {}): Promise<void> {
    this.connection();
    if (!isUuid(instanceUuid)) return;
    await this.builds.get(instanceUuid);
    const dom = await this.find(instanceUuid);
    if (!dom) return;
    await this.run(instanceUuid, 'destroy', () => this.removeDomain(dom));
  }

  /** Stops (if running) and undefines a domain; one that vanished meanwhile is fine. */
  private async removeDomain(dom: RemoteDomain): Promise<void> {
    await this.hardStop(dom);
    await domainUndefine(this.connection(), dom).catch((err: unknown) => {
      if (!(err instanceof LibvirtError && err.code === LibvirtErrorCode.NO_DOMAIN)) throw err;
    });
  }

  private async hardStop(dom: RemoteDomain): Promise<void> {
    const conn = this.connection();
    const { state } = await domainGetState(conn, dom);
    if (state === DomainState.SHUTOFF) return;
    await domainDestroy(conn, dom).catch((err: unknown) => {
      if (!(err instanceof LibvirtError && err.code === LibvirtErrorCode.OPERATION_INVALID)) throw err;
    });
  }

  async reboot(instanceUuid: string, type: RebootType): Promise<void> {
    const { dom, state } = await this.current(instanceUuid);
    if (type === 'SOFT') {
      if (state !== RUNNING) throw powerStateConflict(instanceUuid, 'soft reboot', state);
      if (await this.cleanShutdown(instanceUuid, dom, this.options.softRebootTimeoutSec ?? 60)) {
        await this.run(instanceUuid, 'start', () => domainCreate(this.connection(), dom));
        return;
      }
      // The guest ignored the shutdown request: Nova falls back to a hard reboot too.
    }
    await this.run(instanceUuid, 'hard reboot', async () => {
      await this.hardStop(dom);
      await domainCreate(this.connection(), dom);
    });
  }

  /** Asks the guest (xenstore control/shutdown) to shut down; true when it did within `timeoutSec`. */
  private async cleanShutdown(instanceUuid: string, dom: RemoteDomain, timeoutSec: number): Promise<boolean> {
    const conn = this.connection();
    await this.run(instanceUuid, 'shut down', () => domainShutdown(conn, dom));
    const deadline = Date.now() + timeoutSec * 1000;
    while (Date.now() < deadline) {
      if ((await domainGetState(conn, dom)).state === DomainState.SHUTOFF) return true;
      await sleep(250);
    }
    return (await domainGetState(conn, dom)).state === DomainState.SHUTOFF;
  }

  async powerOff(instanceUuid: string, options: { timeoutSec?: number } = {}): Promise<void> {
    const { dom, state } = await this.current(instanceUuid);
    if (state === SHUTDOWN) return;
    await this.run(instanceUuid, 'power off', async () => {
      if (state === RUNNING && options.timeoutSec && (await this.cleanShutdown(instanceUuid, dom, options.timeoutSec))) return;
      await this.hardStop(dom);
    });
  }

  async powerOn(instanceUuid: string): Promise<void> {
    const { dom, state } = await this.current(instanceUuid);
    if (state === RUNNING) return;
    if (state !== SHUTDOWN && state !== CRASHED && state !== NOSTATE) throw powerStateConflict(instanceUuid, 'power on', state);
    await this.run(instanceUuid, 'power on', () => domainCreate(this.connection(), dom));
  }

  async pause(instanceUuid: string): Promise<void> {
    const { dom, state } = await this.current(instanceUuid);
    if (state !== RUNNING) throw powerStateConflict(instanceUuid, 'pause', state);
    await this.run(instanceUuid, 'pause', () => domainSuspend(this.connection(), dom));
  }

  async unpause(instanceUuid: string): Promise<void> {
    const { dom, state } = await this.current(instanceUuid);
    if (state !== PAUSED) throw powerStateConflict(instanceUuid, 'unpause', state);
    await this.run(instanceUuid, 'unpause', () => domainResume(this.connection(), dom));
  }

  async suspend(_instanceUuid: string): Promise<void> {
    throw new NotImplementedByDriver('The Xen driver does not suspend guests (libxl save is not wired up).');
  }

  async resume(_instanceUuid: string): Promise<void> {
    throw new NotImplementedByDriver('The Xen driver does not suspend guests (libxl save is not wired up).');
  }

  async snapshot(_instanceUuid: string, _target: SnapshotTarget): Promise<void> {
    throw new NotImplementedByDriver('The Xen driver does not snapshot guests: its PV guests have no disk yet.');
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

  async getInfo(instanceUuid: string): Promise<InstanceInfo> {
    const { dom, state } = await this.current(instanceUuid);
    const info = await this.run(instanceUuid, 'get info of', () => domainGetInfo(this.connection(), dom));
    return { state, memoryMb: Math.round(info.maxMemKib / 1024), vcpus: info.nrVirtCpu, cpuTimeNs: Number(info.cpuTimeNs) };
  }

  async listInstances(): Promise<string[]> {
    const domains = await connectListAllDomains(this.connection());
    return domains.filter((d) => d.name.startsWith(this.prefix)).map((d) => d.uuid);
  }

  async getAvailableResources(): Promise<HostResources> {
    const pool = this.pool;
    if (!pool) throw new ServiceUnavailable('The Xen driver is not initialised: call init(host) first.');
    return readXenHostResources(this.connection(), pool, { hypervisorType: this.type, hostIp: this.options.hostIp ?? hostOfUri(this.uri) });
  }

  /**
   * The guest's console output (its `hvc0`) through libvirt's console stream, from now until
   * `until` matches; `DriverError` after `timeoutMs`.
   */
  async readConsole(instanceUuid: string, o: { until: RegExp; timeoutMs: number }): Promise<string> {
    const { dom } = await this.current(instanceUuid);
    return readDomainConsole(this.uri, dom.uuid, { ...o, connection: { connectTimeoutMs: this.options.connectTimeoutMs } });
  }

  // ---- internals -----------------------------------------------------------------------

  private connection(): LibvirtConnection {
    if (!this.conn) throw new ServiceUnavailable('The Xen driver is not initialised: call init(host) first.');
    return this.conn;
  }

  private async find(instanceUuid: string): Promise<RemoteDomain | null> {
    try {
      const dom = await domainLookupByUuid(this.connection(), instanceUuid);
      return dom.name.startsWith(this.prefix) ? dom : null;
    } catch (err) {
      if (err instanceof LibvirtError && err.code === LibvirtErrorCode.NO_DOMAIN) return null;
      if (err instanceof TypeError) return null;
      throw this.translate(err, instanceUuid, 'look up');
    }
  }

  private async current(instanceUuid: string): Promise<{ dom: RemoteDomain; state: PowerState }> {
    const dom = await this.find(instanceUuid);
    if (!dom) throw new NotFound(`Instance ${instanceUuid} could not be found on host ${this.host}.`, { instanceUuid });
    return this.run(instanceUuid, 'read the state of', async () => {
      const { state } = await domainGetState(this.connection(), dom);
      return { dom, state: powerStateOf(state, false) };
    });
  }

  private async run<T>(instanceUuid: string, verb: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.translate(err, instanceUuid, verb);
    }
  }

  private translate(err: unknown, instanceUuid: string, verb: string): NuboError {
    return toNuboError(err, `${verb} instance ${instanceUuid}`, { instanceUuid, host: this.host });
  }
}

function hostOfUri(uri: string): string {
  const target = resolveLibvirtUri(uri).target;
  return 'host' in target ? target.host : '127.0.0.1';
}
