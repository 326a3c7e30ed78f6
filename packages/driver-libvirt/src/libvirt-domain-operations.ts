/**
 * What every Nubo driver on libvirt does the same way whatever the hypervisor behind it
 * (KVM/QEMU, Xen's libxl): the connection and its lifecycle events, finding an instance's
 * domain, power operations (Nova's semantics), suspend by managed save, info and listing.
 * `LibvirtDriver` and `@nubo/driver-xen`'s `XenDriver` extend it with spawn, destroy and what
 * else differs.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { filter, map, Subject, type Observable, type Subscription } from 'rxjs';
import {
  BadRequest, Conflict, NotFound, PowerState, ServiceUnavailable,
  type InstanceInfo, type LifecycleEvent, type NuboError, type RebootType,
} from '@nubo/core';
import { toNuboError } from './driver-errors.js';
import { powerStateConflict, powerStateOf, transitionOf } from './power-state.js';
import type { LibvirtConnection } from './rpc/libvirt-connection.js';
import { LibvirtError, LibvirtErrorCode } from './rpc/libvirt-error.js';
import {
  connectListAllDomains, domainCreate, domainDestroy, domainGetInfo, domainGetState, domainHasManagedSaveImage,
  domainLookupByUuid, domainManagedSave, domainManagedSaveRemove, domainResume, domainShutdown, domainSuspend,
  domainUndefine, DomainState, UndefineFlags,
} from './rpc/procedures/domain.js';
import type { RemoteDomain } from './rpc/types.js';

const { RUNNING, PAUSED, SHUTDOWN, SUSPENDED, CRASHED, NOSTATE } = PowerState;

export interface DomainOperationsOptions {
  /** Names this driver in messages: "The Xen driver …". */
  driverName: string;
  /** Domain names are `<prefix><uuid>`; only domains with the prefix are the driver's. */
  domainPrefix: string;
  /** Seconds a soft reboot waits for the guest to shut down before a hard one. */
  softRebootTimeoutSec: number;
  /** Flags of DOMAIN_UNDEFINE_FLAGS when a domain is removed (what the hypervisor driver accepts). */
  undefineFlags: number;
}

export abstract class LibvirtDomainOperations {
  readonly lifecycleEvents: Observable<LifecycleEvent>;

  protected conn: LibvirtConnection | null = null;
  protected host: string | null = null;
  private readonly events = new Subject<LifecycleEvent>();
  private eventSubscription: Subscription | null = null;

  protected constructor(private readonly ops: DomainOperationsOptions) {
    this.lifecycleEvents = this.events.asObservable();
  }

  /** The libvirt domain name of an instance. */
  domainName(instanceUuid: string): string {
    return `${this.ops.domainPrefix}${instanceUuid}`;
  }

  /**
   * `init(host)` of the port: opens `uri`, lets `prepare` do what the driver needs before it
   * serves, and passes the driver's domains' lifecycle events on. False when already
   * initialised for `host`; `ServiceUnavailable` when the hypervisor cannot be reached.
   */
  protected async connectFor(host: string, uri: string, open: () => Promise<LibvirtConnection>, prepare: (conn: LibvirtConnection) => Promise<void>): Promise<boolean> {
    if (!host) throw new BadRequest(`The ${this.ops.driverName} driver needs a host name.`);
    if (this.host !== null) {
      if (this.host === host) return false;
      throw new Conflict(`The ${this.ops.driverName} driver is already initialised for host ${this.host}, not ${host}.`);
    }
    let conn: LibvirtConnection | null = null;
    try {
      conn = await open();
      await prepare(conn);
      await conn.enableLifecycleEvents();
    } catch (err) {
      await conn?.close().catch(() => undefined);
      throw new ServiceUnavailable(`Cannot connect to ${this.ops.driverName} at ${uri}: ${(err as Error).message}`, { uri });
    }
    this.conn = conn;
    this.eventSubscription = conn.lifecycleEvents.pipe(
      filter((e) => e.domain.name.startsWith(this.ops.domainPrefix)),
      map((e) => ({ uuid: e.domain.uuid, transition: transitionOf(e.event, e.detail) })),
      filter((e) => e.transition !== null),
    ).subscribe((e) => this.events.next({ instanceUuid: e.uuid, transition: e.transition!, at: new Date() }));
    this.host = host;
    return true;
  }

  /** Disconnects; guests keep running (they belong to the hypervisor, not to this process). */
  async close(): Promise<void> {
    this.eventSubscription?.unsubscribe();
    this.eventSubscription = null;
    const conn = this.conn;
    this.conn = null;
    this.host = null;
    await conn?.close();
  }

  async reboot(instanceUuid: string, type: RebootType): Promise<void> {
    const { dom, state } = await this.current(instanceUuid);
    if (type === 'SOFT') {
      if (state !== RUNNING) throw powerStateConflict(instanceUuid, 'soft reboot', state);
      if (await this.cleanShutdown(instanceUuid, dom, this.ops.softRebootTimeoutSec)) {
        await this.run(instanceUuid, 'start', () => domainCreate(this.connection(), dom));
        return;
      }
      // The guest ignored the shutdown request: Nova falls back to a hard reboot too.
    }
    await this.run(instanceUuid, 'hard reboot', async () => {
      if (state === SUSPENDED) await domainManagedSaveRemove(this.connection(), dom);
      await this.hardStop(dom);
      await domainCreate(this.connection(), dom);
    });
  }

  /**
   * Nova's `power_off(timeout)`: with a timeout the guest is asked to shut down first and
   * destroyed only if it has not after `timeoutSec`; without one it is destroyed at once.
   */
  async powerOff(instanceUuid: string, options: { timeoutSec?: number } = {}): Promise<void> {
    const { dom, state } = await this.current(instanceUuid);
    if (state === SHUTDOWN) return;
    await this.run(instanceUuid, 'power off', async () => {
      if (state === SUSPENDED) {
        await domainManagedSaveRemove(this.connection(), dom);
        return;
      }
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

  /** Nova's libvirt suspend: a managed save (memory to disk, the guest stops); the domain reads SUSPENDED. */
  async suspend(instanceUuid: string): Promise<void> {
    const { dom, state } = await this.current(instanceUuid);
    if (state !== RUNNING) throw powerStateConflict(instanceUuid, 'suspend', state);
    await this.run(instanceUuid, 'suspend', () => domainManagedSave(this.connection(), dom));
  }

  /** Starts the domain, which libvirt restores from its managed save. */
  async resume(instanceUuid: string): Promise<void> {
    const { dom, state } = await this.current(instanceUuid);
    if (state !== SUSPENDED) throw powerStateConflict(instanceUuid, 'resume', state);
    await this.run(instanceUuid, 'resume', () => domainCreate(this.connection(), dom));
  }

  async getInfo(instanceUuid: string): Promise<InstanceInfo> {
    const { dom, state } = await this.current(instanceUuid);
    const info = await this.run(instanceUuid, 'get info of', () => domainGetInfo(this.connection(), dom));
    return { state, memoryMb: Math.round(info.maxMemKib / 1024), vcpus: info.nrVirtCpu, cpuTimeNs: Number(info.cpuTimeNs) };
  }

  async listInstances(): Promise<string[]> {
    const domains = await connectListAllDomains(this.connection());
    return domains.filter((d) => d.name.startsWith(this.ops.domainPrefix)).map((d) => d.uuid);
  }

  // ---- for the drivers -------------------------------------------------------------------

  protected connection(): LibvirtConnection {
    if (!this.conn) throw new ServiceUnavailable(`The ${this.ops.driverName} driver is not initialised: call init(host) first.`);
    return this.conn;
  }

  /** The domain of an instance, or null when libvirt has none (or it is not one of ours). */
  protected async find(instanceUuid: string): Promise<RemoteDomain | null> {
    try {
      const dom = await domainLookupByUuid(this.connection(), instanceUuid);
      return dom.name.startsWith(this.ops.domainPrefix) ? dom : null;
    } catch (err) {
      if (err instanceof LibvirtError && err.code === LibvirtErrorCode.NO_DOMAIN) return null;
      if (err instanceof TypeError) return null; // not a UUID at all
      throw this.translate(err, instanceUuid, 'look up');
    }
  }

  /** The domain and its power state; `NotFound` when the instance is not on this host. */
  protected async current(instanceUuid: string): Promise<{ dom: RemoteDomain; state: PowerState }> {
    const dom = await this.find(instanceUuid);
    if (!dom) throw new NotFound(`Instance ${instanceUuid} could not be found on host ${this.host}.`, { instanceUuid });
    return this.run(instanceUuid, 'read the state of', async () => {
      const conn = this.connection();
      const { state } = await domainGetState(conn, dom);
      const saved = state === DomainState.SHUTOFF && (await domainHasManagedSaveImage(conn, dom));
      return { dom, state: powerStateOf(state, saved) };
    });
  }

  /** Stops (if running) and undefines a domain with its managed save; one that vanished meanwhile is fine. */
  protected async removeDomain(dom: RemoteDomain): Promise<void> {
    await this.hardStop(dom);
    await domainUndefine(this.connection(), dom, this.ops.undefineFlags).catch((err: unknown) => {
      if (!(err instanceof LibvirtError && err.code === LibvirtErrorCode.NO_DOMAIN)) throw err;
    });
  }

  /** Destroys the domain if it is active; a domain that stopped meanwhile is fine. */
  protected async hardStop(dom: RemoteDomain): Promise<void> {
    const conn = this.connection();
    const { state } = await domainGetState(conn, dom);
    if (state === DomainState.SHUTOFF) return;
    await domainDestroy(conn, dom).catch((err: unknown) => {
      if (!(err instanceof LibvirtError && err.code === LibvirtErrorCode.OPERATION_INVALID)) throw err;
    });
  }

  /** Asks the guest to shut down (ACPI on QEMU, xenstore on Xen); true when it did within `timeoutSec`. */
  protected async cleanShutdown(instanceUuid: string, dom: RemoteDomain, timeoutSec: number): Promise<boolean> {
    const conn = this.connection();
    await this.run(instanceUuid, 'shut down', () => domainShutdown(conn, dom));
    const deadline = Date.now() + timeoutSec * 1000;
    while (Date.now() < deadline) {
      if ((await domainGetState(conn, dom)).state === DomainState.SHUTOFF) return true;
      await sleep(250);
    }
    return (await domainGetState(conn, dom)).state === DomainState.SHUTOFF;
  }

  protected async run<T>(instanceUuid: string, verb: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.translate(err, instanceUuid, verb);
    }
  }

  protected translate(err: unknown, instanceUuid: string, verb: string): NuboError {
    return toNuboError(err, `${verb} instance ${instanceUuid}`, { instanceUuid, host: this.host });
  }
}

/** What `LibvirtDriver` undefines with a domain: its managed save, snapshot metadata and NVRAM. */
export const QEMU_UNDEFINE_FLAGS = UndefineFlags.MANAGED_SAVE | UndefineFlags.SNAPSHOTS_METADATA | UndefineFlags.NVRAM;
