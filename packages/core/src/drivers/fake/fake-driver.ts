import { Subject, type Observable } from 'rxjs';
import { BadRequest, Conflict, DriverError, NotFound, NotImplementedByDriver, ServiceUnavailable } from '../../errors.js';
import type { HostResources } from '../../model/compute-node.js';
import type { InstanceSpec } from '../../model/instance.js';
import { PowerState } from '../../model/instance-state.js';
import type {
  BlockDevice, ConsoleEndpoint, DriverCapabilities, HypervisorDriver, InstanceInfo,
  LifecycleEvent, RebootType, SnapshotTarget, SpawnRequest,
} from '../../ports/hypervisor-driver.js';
import { abortableDelay } from './abortable-delay.js';
import { FakeImageCache } from './fake-image-cache.js';
import {
  ALL_CAPABILITIES, DEFAULT_FAKE_CAPACITY, type FakeDriverOptions, type FakeHostCapacity, type FakeOperation,
} from './fake-driver-options.js';
import { FakeFailureInjector, type FailureHandle, type FailureInjection } from './fake-failure-injector.js';
import { guestFootprint, type FakeGuest, type GuestFootprint } from './fake-guest.js';
import {
  lifecycleTransition, nextPowerState, powerOperationVerb, powerStateConflict, type FakePowerOperation,
} from './fake-power-transitions.js';
import { chunked, fakeSnapshotBytes } from './fake-snapshot-bytes.js';

/** What a test can see of one fake guest. */
export type FakeGuestView = Readonly<Omit<FakeGuest, 'runningSince' | 'consolePort' | 'cpuTimeNs'>>;

/** What the guests of a fake host occupy, builds in progress included. */
export interface FakeHostUsage extends GuestFootprint {
  instances: number;
}

const CONSOLE_BASE_PORT: Record<ConsoleEndpoint['kind'], number> = { vnc: 5900, spice: 6900, serial: 10000 };

/**
 * An in-memory hypervisor for tests and the embedded cloud, like Nova's fake driver: guests
 * with honest power states, configurable capacity, optional delays and failure injection.
 * No real VMs, no global state: use one instance per compute host.
 *
 * Every power change emits a lifecycle event, including those a caller asked for (as
 * libvirt does); `simulateGuestShutdown` and friends change a guest behind the caller's back
 * so that power-state sync can be tested. Destroying a guest emits nothing: it is gone,
 * not stopped. Events are emitted synchronously, before the operation's promise resolves.
 *
 * Power rules: powering off a stopped guest and on a running one are no-ops; a hard reboot
 * starts a guest from any state; pause, suspend and soft reboot need a running guest,
 * unpause a paused and resume a suspended one; anything else is a `Conflict`.
 */
export class FakeDriver implements HypervisorDriver {
  readonly type = 'fake';
  readonly capabilities: DriverCapabilities;
  readonly lifecycleEvents: Observable<LifecycleEvent>;

  private readonly events = new Subject<LifecycleEvent>();
  private readonly guests = new Map<string, FakeGuest>();
  private readonly builds = new Map<string, { spec: InstanceSpec; abort: AbortController }>();
  private readonly failures = new FakeFailureInjector();
  private readonly images = new FakeImageCache();
  private readonly capacity: FakeHostCapacity;
  private readonly delays: Partial<Record<FakeOperation, number>>;
  private readonly now: () => number;
  private host: string | null = null;
  private consoleIndex = 0;

  constructor(private readonly options: FakeDriverOptions = {}) {
    this.capabilities = Object.freeze({ ...ALL_CAPABILITIES, ...options.capabilities });
    this.capacity = { ...DEFAULT_FAKE_CAPACITY, ...options.capacity };
    this.delays = { ...options.delaysMs };
    this.now = options.now ?? Date.now;
    this.lifecycleEvents = this.events.asObservable();
  }

  /** The host given to `init`, or null before it. */
  get hostName(): string | null {
    return this.host;
  }

  async init(host: string): Promise<void> {
    if (!host) throw new BadRequest('A fake driver needs a host name.');
    if (this.host !== null && this.host !== host) {
      throw new Conflict(`The fake driver is already initialised for host ${this.host}, not ${host}.`);
    }
    this.host = host;
  }

  /** Disconnects; the guests live on (a hypervisor outlives its compute service) and `init` may be called again. */
  async close(): Promise<void> {
    this.host = null;
  }

  async spawn(request: SpawnRequest, signal?: AbortSignal): Promise<void> {
    const host = this.requireHost();
    const spec = request.instance;
    if (this.guests.has(spec.uuid) || this.builds.has(spec.uuid)) {
      throw new Conflict(`Instance ${spec.uuid} already exists on fake host ${host}.`);
    }
    this.checkFits(host, spec.uuid, guestFootprint(spec), this.usage());
    const build = new AbortController();
    this.builds.set(spec.uuid, { spec, abort: build });
    const cancelled = signal ? AbortSignal.any([signal, build.signal]) : build.signal;
    let imageBytesRead = 0;
    try {
      await abortableDelay(this.delays.spawn ?? 0, cancelled);
      if (request.image) imageBytesRead = await this.images.bytesOf(spec.uuid, request.image, cancelled);
      const failure = this.failures.attempt('spawn', spec.uuid, host);
      if (failure) throw failure;
      cancelled.throwIfAborted();
    } finally {
      this.builds.delete(spec.uuid);
    }
    this.guests.set(spec.uuid, {
      spec,
      state: PowerState.NOSTATE,
      imageId: request.image?.meta.id ?? null,
      imageBytesRead,
      network: [...request.network],
      blockDevices: [...request.blockDevices],
      resizedFrom: null,
      cpuTimeNs: 0,
      runningSince: null,
      consolePort: this.consoleIndex++,
    });
    this.setState(spec.uuid, PowerState.RUNNING);
  }

  async destroy(instanceUuid: string, _options?: { destroyDisks?: boolean }): Promise<void> {
    const host = this.requireHost();
    await abortableDelay(this.delays.destroy ?? 0);
    this.throwInjected('destroy', instanceUuid);
    this.builds.get(instanceUuid)?.abort.abort(
      new DriverError(`Instance ${instanceUuid} was destroyed on fake host ${host} while it was building.`, false),
    );
    this.guests.delete(instanceUuid);
  }

  async reboot(instanceUuid: string, type: RebootType): Promise<void> {
    if (type === 'SOFT') {
      return this.changePower('reboot', 'softReboot', instanceUuid, 'supportsSoftReboot');
    }
    const guest = await this.prepare('reboot', instanceUuid);
    nextPowerState(instanceUuid, 'hardReboot', guest.state);
    this.throwInjected('reboot', instanceUuid);
    // A hard reboot destroys and recreates the domain: the hypervisor reports it stopping, then starting.
    if (guest.state !== PowerState.SHUTDOWN && guest.state !== PowerState.CRASHED) this.setState(instanceUuid, PowerState.SHUTDOWN);
    this.setState(instanceUuid, PowerState.RUNNING);
  }

  async powerOff(instanceUuid: string, _options?: { timeoutSec?: number }): Promise<void> {
    return this.changePower('powerOff', 'powerOff', instanceUuid);
  }

  async powerOn(instanceUuid: string): Promise<void> {
    return this.changePower('powerOn', 'powerOn', instanceUuid);
  }

  async pause(instanceUuid: string): Promise<void> {
    return this.changePower('pause', 'pause', instanceUuid, 'supportsPause');
  }

  async unpause(instanceUuid: string): Promise<void> {
    return this.changePower('unpause', 'unpause', instanceUuid, 'supportsPause');
  }

  async suspend(instanceUuid: string): Promise<void> {
    return this.changePower('suspend', 'suspend', instanceUuid, 'supportsSuspend');
  }

  async resume(instanceUuid: string): Promise<void> {
    return this.changePower('resume', 'resume', instanceUuid, 'supportsSuspend');
  }

  /** Uploads `fakeSnapshotBytes(instanceUuid)` as a raw, bare image; the guest keeps its power state. */
  async snapshot(instanceUuid: string, target: SnapshotTarget): Promise<void> {
    this.requireCapability('supportsSnapshot', 'snapshot');
    await this.prepare('snapshot', instanceUuid);
    this.throwInjected('snapshot', instanceUuid);
    await target.upload(chunked(fakeSnapshotBytes(instanceUuid)), { diskFormat: 'raw', containerFormat: 'bare' });
  }

  /** Applies the new flavor; the guest keeps its power state and remembers the old flavor until confirm or revert. */
  async resize(instanceUuid: string, newSpec: InstanceSpec): Promise<void> {
    this.requireCapability('supportsResize', 'resize');
    if (newSpec.uuid !== instanceUuid) throw new BadRequest(`The new spec is for instance ${newSpec.uuid}, not ${instanceUuid}.`);
    const guest = await this.prepare('resize', instanceUuid);
    if (guest.resizedFrom) throw new Conflict(`Instance ${instanceUuid} has a resize to confirm or revert first.`);
    if (guest.state !== PowerState.RUNNING && guest.state !== PowerState.SHUTDOWN) throw powerStateConflict(instanceUuid, 'resize', guest.state);
    const now = guestFootprint(guest.spec);
    const next = guestFootprint(newSpec);
    const usage = this.usage();
    this.checkFits(this.requireHost(), instanceUuid, next, {
      ...usage, vcpus: usage.vcpus - now.vcpus, memoryMb: usage.memoryMb - now.memoryMb, localGb: usage.localGb - now.localGb,
    });
    this.throwInjected('resize', instanceUuid);
    guest.resizedFrom = guest.spec;
    guest.spec = newSpec;
  }

  async confirmResize(instanceUuid: string): Promise<void> {
    this.requireCapability('supportsResize', 'confirm resize');
    const guest = await this.prepare('confirmResize', instanceUuid);
    if (!guest.resizedFrom) throw new Conflict(`Instance ${instanceUuid} has no resize to confirm.`);
    this.throwInjected('confirmResize', instanceUuid);
    guest.resizedFrom = null;
  }

  async revertResize(instanceUuid: string, oldSpec: InstanceSpec): Promise<void> {
    this.requireCapability('supportsResize', 'revert resize');
    const guest = await this.prepare('revertResize', instanceUuid);
    if (!guest.resizedFrom) throw new Conflict(`Instance ${instanceUuid} has no resize to revert.`);
    this.throwInjected('revertResize', instanceUuid);
    guest.spec = oldSpec;
    guest.resizedFrom = null;
  }

  async getInfo(instanceUuid: string): Promise<InstanceInfo> {
    this.requireHost();
    const guest = this.requireGuest(instanceUuid);
    const running = guest.runningSince === null ? 0 : (this.now() - guest.runningSince) * 1e6 * guest.spec.vcpus;
    return { state: guest.state, memoryMb: guest.spec.memoryMb, vcpus: guest.spec.vcpus, cpuTimeNs: guest.cpuTimeNs + running };
  }

  async listInstances(): Promise<string[]> {
    this.requireHost();
    return [...this.guests.keys()];
  }

  async getAvailableResources(): Promise<HostResources> {
    const host = this.requireHost();
    return {
      hypervisorHostname: this.options.hypervisorHostname ?? host,
      hypervisorType: this.type,
      hypervisorVersion: this.options.hypervisorVersion ?? 1000,
      hostIp: this.options.hostIp ?? '127.0.0.1',
      vcpus: this.capacity.vcpus,
      memoryMb: this.capacity.memoryMb,
      localGb: this.capacity.localGb,
      cpuInfo: { arch: 'x86_64', model: 'fake', vendor: 'Nubo', topology: { sockets: 1, cores: this.capacity.vcpus, threads: 1 }, features: [] },
      supportedInstances: [['x86_64', 'fake', 'hvm']],
    };
  }

  async getConsole(instanceUuid: string, kind: ConsoleEndpoint['kind']): Promise<ConsoleEndpoint> {
    this.requireCapability('supportsConsole', 'consoles');
    this.requireHost();
    const guest = this.requireGuest(instanceUuid);
    return { kind, host: this.options.hostIp ?? '127.0.0.1', port: CONSOLE_BASE_PORT[kind] + guest.consolePort };
  }

  async attachVolume(instanceUuid: string, device: BlockDevice): Promise<void> {
    this.requireCapability('supportsVolumeAttach', 'volume attach');
    const guest = await this.prepare('attachVolume', instanceUuid);
    if (guest.blockDevices.some((d) => d.volumeId === device.volumeId)) {
      throw new Conflict(`Volume ${device.volumeId} is already attached to instance ${instanceUuid}.`);
    }
    this.throwInjected('attachVolume', instanceUuid);
    guest.blockDevices = [...guest.blockDevices, device];
  }

  async detachVolume(instanceUuid: string, volumeId: string): Promise<void> {
    this.requireCapability('supportsVolumeAttach', 'volume detach');
    const guest = await this.prepare('detachVolume', instanceUuid);
    if (!guest.blockDevices.some((d) => d.volumeId === volumeId)) {
      throw new NotFound(`Volume ${volumeId} is not attached to instance ${instanceUuid}.`);
    }
    this.throwInjected('detachVolume', instanceUuid);
    guest.blockDevices = guest.blockDevices.filter((d) => d.volumeId !== volumeId);
  }

  // ---- test controls -------------------------------------------------------------------

  /** Makes spawns fail with `DriverError` (retryable unless told otherwise), leaving nothing behind. */
  failSpawn(injection: FailureInjection = {}): FailureHandle {
    return this.failures.arm('spawn', injection);
  }

  /** Makes attempts of any operation fail with `DriverError`; the guest keeps its state. */
  failOperation(operation: FakeOperation, injection: FailureInjection = {}): FailureHandle {
    return this.failures.arm(operation, injection);
  }

  /** Disarms every injected failure. */
  clearFailures(): void {
    this.failures.clear();
  }

  /** Changes how long an operation takes from now on. */
  setDelay(operation: FakeOperation, ms: number): void {
    this.delays[operation] = ms;
  }

  /** The guest shuts itself down (e.g. `poweroff` inside it): SHUTDOWN and a `stopped` event. */
  simulateGuestShutdown(instanceUuid: string): void {
    this.simulatePowerChange(instanceUuid, PowerState.SHUTDOWN);
  }

  /** The guest crashes: CRASHED and a `stopped` event. */
  simulateGuestCrash(instanceUuid: string): void {
    this.simulatePowerChange(instanceUuid, PowerState.CRASHED);
  }

  /** Someone changed the guest's power state outside Nubo (e.g. `virsh start`); emits the matching event. */
  simulatePowerChange(instanceUuid: string, state: PowerState): void {
    this.requireGuest(instanceUuid);
    this.setState(instanceUuid, state);
  }

  /** The hypervisor lost the guest (e.g. removed by hand): no longer listed, no event. */
  simulateGuestVanished(instanceUuid: string): void {
    this.requireGuest(instanceUuid);
    this.guests.delete(instanceUuid);
  }

  /** A copy of what the fake holds for a guest, or null if it has none. */
  guest(instanceUuid: string): FakeGuestView | null {
    const g = this.guests.get(instanceUuid);
    if (!g) return null;
    return {
      spec: g.spec, state: g.state, imageId: g.imageId, imageBytesRead: g.imageBytesRead,
      network: [...g.network], blockDevices: [...g.blockDevices], resizedFrom: g.resizedFrom,
    };
  }

  /** What the guests occupy now, builds in progress included (the hypervisor's own view, for comparison with the resource tracker). */
  usage(): FakeHostUsage {
    const specs = [...[...this.guests.values()].map((g) => g.spec), ...[...this.builds.values()].map((b) => b.spec)];
    const total: FakeHostUsage = { vcpus: 0, memoryMb: 0, localGb: 0, instances: specs.length };
    for (const spec of specs) {
      const f = guestFootprint(spec);
      total.vcpus += f.vcpus;
      total.memoryMb += f.memoryMb;
      total.localGb += f.localGb;
    }
    return total;
  }

  // ---- internals -----------------------------------------------------------------------

  private async changePower(
    op: FakeOperation, transition: FakePowerOperation, instanceUuid: string, capability?: keyof DriverCapabilities,
  ): Promise<void> {
    if (capability) this.requireCapability(capability, powerOperationVerb(transition));
    const guest = await this.prepare(op, instanceUuid);
    const next = nextPowerState(instanceUuid, transition, guest.state);
    this.throwInjected(op, instanceUuid);
    this.setState(instanceUuid, next);
  }

  /** Checks the host and guest, waits the operation's delay, and returns the guest as it is then. */
  private async prepare(op: FakeOperation, instanceUuid: string): Promise<FakeGuest> {
    this.requireHost();
    this.requireGuest(instanceUuid);
    await abortableDelay(this.delays[op] ?? 0);
    return this.requireGuest(instanceUuid);
  }

  private setState(instanceUuid: string, state: PowerState): void {
    const guest = this.requireGuest(instanceUuid);
    const from = guest.state;
    const now = this.now();
    if (guest.runningSince !== null) guest.cpuTimeNs += (now - guest.runningSince) * 1e6 * guest.spec.vcpus;
    guest.runningSince = state === PowerState.RUNNING ? now : null;
    guest.state = state;
    const transition = lifecycleTransition(from, state);
    if (transition) this.events.next({ instanceUuid, transition, at: new Date(now) });
  }

  private throwInjected(op: FakeOperation, instanceUuid: string): void {
    const failure = this.failures.attempt(op, instanceUuid, this.requireHost());
    if (failure) throw failure;
  }

  private checkFits(host: string, instanceUuid: string, need: GuestFootprint, used: GuestFootprint): void {
    if (!this.options.enforceCapacity) return;
    const short = (['vcpus', 'memoryMb', 'localGb'] as const).filter((k) => used[k] + need[k] > this.capacity[k]);
    if (short.length > 0) {
      throw new DriverError(`Fake host ${host} has not enough ${short.join(', ')} left for instance ${instanceUuid}.`, true, {
        host, instanceUuid, short,
      });
    }
  }

  private requireHost(): string {
    if (this.host === null) throw new ServiceUnavailable('The fake driver is not initialised: call init(host) first.');
    return this.host;
  }

  private requireGuest(instanceUuid: string): FakeGuest {
    const guest = this.guests.get(instanceUuid);
    if (!guest) throw new NotFound(`Instance ${instanceUuid} could not be found on fake host ${this.host ?? '(none)'}.`, { instanceUuid });
    return guest;
  }

  private requireCapability(capability: keyof DriverCapabilities, what: string): void {
    if (!this.capabilities[capability]) {
      throw new NotImplementedByDriver(`The fake driver of this host does not support ${what}.`, { capability });
    }
  }
}
