import type { Subscription } from 'rxjs';
import { Conflict, DriverError, NotFound, NuboError } from '../../errors.js';
import type { Image } from '../../model/image.js';
import { instanceSpecOf, type Instance } from '../../model/instance.js';
import { PowerState, TaskState, VmState } from '../../model/instance-state.js';
import type { NetworkInfo } from '../../model/network.js';
import type { RequestContext } from '../../model/request-context.js';
import type { Logger } from '../../logging/logger.js';
import type { NotificationBus } from '../../notifications/notification-bus.js';
import type { HypervisorDriver, ImageSource, LifecycleEvent, RebootType } from '../../ports/hypervisor-driver.js';
import type { RequestSpec } from '../../ports/host-state.js';
import type { ImageService } from '../../ports/image-service.js';
import type { NetworkRequest, NetworkService } from '../../ports/network-service.js';
import type { ConductorRpcClient } from '../conductor/conductor-rpc-client.js';
import { Topics } from '../topics.js';
import type { ResourceTracker } from './resource-tracker.js';
import { BuildSemaphore } from './build-semaphore.js';
import { PendingActionEvents } from './pending-action-events.js';

export interface ComputeOptions {
  host: string;
  availabilityZone: string;
  /** Seconds between service heartbeats (Nova's report_interval). */
  reportIntervalSec: number;
  /** Seconds between resource reports to the scheduler. */
  resourceUpdateIntervalSec: number;
  /** Seconds between power-state syncs from the driver (Nova's sync_power_state_interval). */
  syncPowerStateIntervalSec: number;
  /**
   * Least time between two resource reports, in ms (default 0): builds finishing in a burst
   * share one report, sent this long after the previous one. The scheduler counts its own
   * claims meanwhile, as Nova's does.
   */
  resourceReportMinIntervalMs?: number;
  /** Builds run at once on this host; more wait (Nova's max_concurrent_builds, default 10). */
  maxConcurrentBuilds?: number;
}

export interface BuildArgs {
  uuid: string;
  requestSpec: RequestSpec;
  networks: NetworkRequest;
  /** The request's action on the instance, when the conductor knew it. */
  actionId?: number;
  /** The image to boot from as the API found it; looked up again when absent. */
  image?: Image;
}

/**
 * Nova's compute manager: runs on every host, drives the hypervisor through its driver,
 * reaches the database only through the conductor.
 */
export class ComputeManager {
  private timers: NodeJS.Timeout[] = [];
  private readonly builds: BuildSemaphore;
  private readonly building = new Set<string>();
  private readonly resourceReport: { running: Promise<void> | null; pending: Promise<void> | null; lastStartedAt: number } = { running: null, pending: null, lastStartedAt: 0 };
  private lifecycle?: Subscription;

  constructor(
    private readonly driver: HypervisorDriver,
    private readonly conductor: ConductorRpcClient,
    private readonly images: ImageService,
    private readonly network: NetworkService,
    private readonly tracker: ResourceTracker,
    private readonly notifications: NotificationBus,
    private readonly log: Logger,
    readonly options: ComputeOptions,
  ) {
    this.builds = new BuildSemaphore(options.maxConcurrentBuilds ?? 10);
  }

  get host(): string {
    return this.options.host;
  }

  async start(): Promise<void> {
    await this.driver.init(this.host);
    await this.reportService();
    await this.updateResources();
    this.lifecycle = this.driver.lifecycleEvents.subscribe((e) => void this.onLifecycleEvent(e));
    const every = (sec: number, fn: () => Promise<unknown>) => {
      const t = setInterval(() => void fn().catch((err) => this.log.warn('periodic task failed', { error: String(err) })), sec * 1000);
      t.unref();
      this.timers.push(t);
    };
    every(this.options.reportIntervalSec, () => this.reportService());
    every(this.options.resourceUpdateIntervalSec, () => this.updateResources());
    every(this.options.syncPowerStateIntervalSec, () => this.syncPowerStates());
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.lifecycle?.unsubscribe();
    await this.driver.close();
  }

  reportService(): Promise<{ disabled: boolean }> {
    return this.conductor.serviceReport(null, {
      binary: 'nubo-compute', host: this.host, topic: Topics.compute, availabilityZone: this.options.availabilityZone,
    });
  }

  /**
   * Reports this host's resources. Calls that arrive while a report is in flight share one
   * follow-up report, so a burst of builds costs two reports, not one per build.
   */
  updateResources(): Promise<void> {
    if (this.resourceReport.pending) return this.resourceReport.pending;
    const run = async () => {
      // Yield first: `pending` is assigned only once run() has returned its promise, and must be
      // cleared after that, or every later call would get this finished report forever.
      await Promise.resolve();
      if (this.resourceReport.running) await this.resourceReport.running.catch(() => undefined);
      const wait = this.resourceReport.lastStartedAt + (this.options.resourceReportMinIntervalMs ?? 0) - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait).unref());
      this.resourceReport.pending = null;
      this.resourceReport.lastStartedAt = Date.now();
      const report = this.reportResources();
      this.resourceReport.running = report;
      try {
        await report;
      } finally {
        if (this.resourceReport.running === report) this.resourceReport.running = null;
      }
    };
    this.resourceReport.pending = run();
    return this.resourceReport.pending;
  }

  private async reportResources(): Promise<void> {
    const instances = await this.conductor.instanceSizesOnHost(null, this.host);
    await this.conductor.computeNodeUpdate(null, await this.tracker.computeNode(instances), instances.map((i) => i.uuid));
  }

  // ---- build ---------------------------------------------------------------------------

  buildAndRunInstance(ctx: RequestContext, args: BuildArgs): Promise<void> {
    return this.builds.run(() => this.build(ctx, args));
  }

  private async build(ctx: RequestContext, args: BuildArgs): Promise<void> {
    const { uuid } = args;
    const log = this.log.child({ requestId: ctx.requestId, instance: uuid, host: this.host });
    // A second message for a build this host is already running (e.g. sent again by a conductor
    // that took over from one that died) must not start it twice.
    if (this.building.has(uuid)) {
      log.info('build already running on this host; duplicate skipped');
      return;
    }
    this.building.add(uuid);
    try {
      await this.buildOnce(ctx, args, log);
    } finally {
      this.building.delete(uuid);
    }
  }

  private async buildOnce(ctx: RequestContext, args: BuildArgs, log: Logger): Promise<void> {
    const { uuid } = args;
    const events = new PendingActionEvents(this.host);
    const started = events.startRecord('compute_build_and_run_instance');
    let claimed = false;
    let network: NetworkInfo[] = [];
    let spawned = false;
    try {
      // The claim: only one build of this instance, on the host it was sent to, gets past here
      // (a duplicate or outdated build message, e.g. redelivered after this host restarted or
      // sent before a reschedule moved the instance elsewhere, steps aside).
      const build = await events.step('compute_instance_get_for_build', () => this.conductor.buildClaim(ctx, uuid, this.host, [started], args.actionId));
      if (!build) {
        log.info('instance no longer waiting for a build here; skipped');
        events.discard();
        return;
      }
      claimed = true;
      const { instance } = build;
      await this.notifications.emit(ctx, 'instance.create.start', { instance_id: uuid, host: this.host });
      const image = await events.step('compute_image_lookup', () => this.imageSource(ctx, instance, args.image));
      network = await events.step('compute_allocate_network', async () => {
        const info = await this.network.allocateForInstance(ctx, uuid, instance.projectId, args.networks);
        await this.network.plug(this.host, uuid, info);
        return info;
      });
      await events.flush((e) => this.conductor.buildProgress(ctx, uuid, { taskState: TaskState.BLOCK_DEVICE_MAPPING }, [TaskState.NETWORKING], e, args.actionId));
      // Volumes are attached at boot only through block device mappings, which the create
      // API does not take yet: the step is recorded so the flow reads as Nova's does.
      await events.step('compute_prep_block_device', async () => []);
      await events.flush((e) => this.conductor.buildProgress(ctx, uuid, { taskState: TaskState.SPAWNING }, [TaskState.BLOCK_DEVICE_MAPPING], e, args.actionId));
      await events.step('compute_spawn', () =>
        this.driver.spawn({ instance: instanceSpecOf(instance), image, network, blockDevices: [] }));
      spawned = true;
      log.info('instance spawned');
      await events.flush((e) => this.conductor.buildProgress(ctx, uuid, {
        vmState: VmState.ACTIVE, taskState: null, powerState: PowerState.RUNNING, launchedAt: new Date(),
      }, [TaskState.SPAWNING], e, args.actionId), [events.finishRecord('compute_build_and_run_instance')]);
      await this.notifications.emit(ctx, 'instance.create.end', { instance_id: uuid, host: this.host, state: 'active' });
    } catch (err) {
      // The steps so far, the failed one included, and the end of the build, for the user to see.
      await events.flush((e) => this.conductor.actionEventsRecord(ctx, uuid, claimed ? e : [started, ...e]),
        [events.finishRecord('compute_build_and_run_instance', message(err))]).catch(() => undefined);
      await this.abortBuild(ctx, args, err, network, spawned);
    }
    await this.updateResources().catch((err) => log.warn('resource update failed', { error: String(err) }));
  }

  private async imageSource(ctx: RequestContext, instance: Instance, known?: Image): Promise<ImageSource | null> {
    if (!instance.imageRef) return null;
    const meta = known?.id === instance.imageRef ? known : await this.images.get(ctx, instance.imageRef);
    if (meta.status !== 'active') throw new DriverError(`Image ${meta.id} is not active.`, false);
    return { meta, open: () => asyncIterableOf(() => this.images.download(ctx, meta.id)) };
  }

  /** Undo a failed build; reschedule when the failure was the host's, else ERROR with a fault. */
  private async abortBuild(ctx: RequestContext, args: BuildArgs, err: unknown, network: NetworkInfo[], spawned: boolean): Promise<void> {
    const { uuid } = args;
    const log = this.log.child({ requestId: ctx.requestId, instance: uuid, host: this.host });
    if (spawned || err instanceof DriverError) await this.driver.destroy(uuid, { destroyDisks: true }).catch(() => undefined);
    await this.network.unplug(this.host, uuid, network).catch(() => undefined);
    await this.network.deallocateForInstance(ctx, uuid).catch(() => undefined);
    if (err instanceof NotFound && !(err instanceof DriverError) && (await this.isGone(ctx, uuid))) {
      log.info('instance deleted during build');
      if (spawned) await this.driver.destroy(uuid).catch(() => undefined);
      return;
    }
    if (err instanceof Conflict && (await this.takenAway(ctx, uuid))) {
      // Handed to another host meanwhile (this one looked dead to the stale-build sweep): its
      // build is now someone else's, so leave the instance alone.
      log.warn('build taken away from this host; abandoned', { error: message(err) });
      await this.driver.destroy(uuid, { destroyDisks: true }).catch(() => undefined);
      return;
    }
    const retryable = err instanceof DriverError && err.retryable;
    if (retryable) {
      log.warn('build failed on this host; asking for a reschedule', { error: message(err) });
      try {
        await this.conductor.instanceUpdate(ctx, uuid, { host: null, node: null, taskState: TaskState.SCHEDULING, vmState: VmState.BUILDING });
      } catch {
        return; // deleted meanwhile
      }
      await this.conductor.rescheduleBuild(ctx, {
        uuid, failedHost: this.host, requestSpec: args.requestSpec, reason: message(err), networks: args.networks, image: args.image ?? null,
      });
      return;
    }
    log.error('build failed', { error: message(err) });
    // The fault first: whoever sees ERROR must also see why.
    await this.conductor.instanceFaultCreate(ctx, uuid, this.host, faultOf(err)).catch(() => undefined);
    await this.conductor.instanceUpdate(ctx, uuid, { vmState: VmState.ERROR, taskState: null, powerState: PowerState.NOSTATE }).catch(() => undefined);
    await this.notifications.emit(ctx, 'instance.create.error', { instance_id: uuid, host: this.host, fault: message(err) }, 'ERROR');
  }

  private async takenAway(ctx: RequestContext, uuid: string): Promise<boolean> {
    try {
      return (await this.conductor.instanceGet(ctx, uuid)).host !== this.host;
    } catch {
      return false;
    }
  }

  private async isGone(ctx: RequestContext, uuid: string): Promise<boolean> {
    try {
      const i = await this.conductor.instanceGet(ctx, uuid);
      return i.deletedAt !== null || i.taskState === TaskState.DELETING;
    } catch {
      return true;
    }
  }

  private async step<T>(ctx: RequestContext, uuid: string, event: string, fn: () => Promise<T>): Promise<T> {
    await this.conductor.actionEventStart(ctx, uuid, event, this.host);
    try {
      const out = await fn();
      await this.conductor.actionEventFinish(ctx, uuid, event);
      return out;
    } catch (err) {
      await this.conductor.actionEventFinish(ctx, uuid, event, message(err)).catch(() => undefined);
      throw err;
    }
  }

  // ---- delete --------------------------------------------------------------------------

  async terminateInstance(ctx: RequestContext, uuid: string): Promise<void> {
    await this.step(ctx, uuid, 'compute_terminate_instance', async () => {
      await this.notifications.emit(ctx, 'instance.delete.start', { instance_id: uuid, host: this.host });
      await this.driver.destroy(uuid, { destroyDisks: true });
      const info = await this.network.getInstanceNetworkInfo(uuid);
      await this.network.unplug(this.host, uuid, info);
      await this.network.deallocateForInstance(ctx, uuid);
      await this.conductor.instanceDestroy(ctx, uuid);
    }).catch(async (err) => {
      await this.recordFailure(ctx, uuid, err, { vmState: VmState.ERROR, taskState: null });
      throw err;
    });
    await this.notifications.emit(ctx, 'instance.delete.end', { instance_id: uuid, host: this.host });
    await this.updateResources().catch(() => undefined);
  }

  // ---- power and lifecycle -------------------------------------------------------------

  rebootInstance(ctx: RequestContext, uuid: string, type: RebootType): Promise<void> {
    return this.operate(ctx, uuid, 'compute_reboot_instance', 'reboot', () => this.driver.reboot(uuid, type),
      { vmState: VmState.ACTIVE, powerState: PowerState.RUNNING });
  }
  stopInstance(ctx: RequestContext, uuid: string): Promise<void> {
    return this.operate(ctx, uuid, 'compute_stop_instance', 'power_off', () => this.driver.powerOff(uuid),
      { vmState: VmState.STOPPED, powerState: PowerState.SHUTDOWN });
  }
  startInstance(ctx: RequestContext, uuid: string): Promise<void> {
    return this.operate(ctx, uuid, 'compute_start_instance', 'power_on', () => this.driver.powerOn(uuid),
      { vmState: VmState.ACTIVE, powerState: PowerState.RUNNING });
  }
  pauseInstance(ctx: RequestContext, uuid: string): Promise<void> {
    return this.operate(ctx, uuid, 'compute_pause_instance', 'pause', () => this.driver.pause(uuid),
      { vmState: VmState.PAUSED, powerState: PowerState.PAUSED });
  }
  unpauseInstance(ctx: RequestContext, uuid: string): Promise<void> {
    return this.operate(ctx, uuid, 'compute_unpause_instance', 'unpause', () => this.driver.unpause(uuid),
      { vmState: VmState.ACTIVE, powerState: PowerState.RUNNING });
  }
  suspendInstance(ctx: RequestContext, uuid: string): Promise<void> {
    return this.operate(ctx, uuid, 'compute_suspend_instance', 'suspend', () => this.driver.suspend(uuid),
      { vmState: VmState.SUSPENDED, powerState: PowerState.SUSPENDED });
  }
  resumeInstance(ctx: RequestContext, uuid: string): Promise<void> {
    return this.operate(ctx, uuid, 'compute_resume_instance', 'resume', () => this.driver.resume(uuid),
      { vmState: VmState.ACTIVE, powerState: PowerState.RUNNING });
  }

  async snapshotInstance(ctx: RequestContext, uuid: string, imageId: string): Promise<void> {
    await this.operate(ctx, uuid, 'compute_snapshot_instance', 'snapshot', async () => {
      await this.conductor.instanceUpdate(ctx, uuid, { taskState: TaskState.IMAGE_PENDING_UPLOAD });
      await this.driver.snapshot(uuid, {
        imageId,
        upload: async (data, fmt) => {
          await this.conductor.instanceUpdate(ctx, uuid, { taskState: TaskState.IMAGE_UPLOADING });
          await this.images.update(ctx, imageId, { diskFormat: fmt.diskFormat, containerFormat: fmt.containerFormat });
          await this.images.upload(ctx, imageId, data);
        },
      });
    }, {}, async () => {
      await this.images.delete(ctx, imageId).catch(() => undefined);
    });
  }

  async resizeInstance(ctx: RequestContext, uuid: string, flavorId: string): Promise<void> {
    const current = await this.conductor.instanceGet(ctx, uuid);
    const target = await this.flavorSizes(ctx, flavorId);
    await this.operate(ctx, uuid, 'compute_resize_instance', 'resize', () =>
      this.driver.resize(uuid, { ...instanceSpecOf(current), ...target }),
    { vmState: VmState.RESIZED, flavorId, ...target });
  }

  async confirmResize(ctx: RequestContext, uuid: string): Promise<void> {
    await this.operate(ctx, uuid, 'compute_confirm_resize', 'resize_confirm', () => this.driver.confirmResize(uuid),
      { vmState: VmState.ACTIVE, powerState: PowerState.RUNNING, oldFlavorId: null });
  }

  async revertResize(ctx: RequestContext, uuid: string): Promise<void> {
    const current = await this.conductor.instanceGet(ctx, uuid);
    if (!current.oldFlavorId) throw new Conflict(`Instance ${uuid} has no resize to revert.`);
    const old = await this.flavorSizes(ctx, current.oldFlavorId);
    await this.operate(ctx, uuid, 'compute_revert_resize', 'resize_revert', () =>
      this.driver.revertResize(uuid, { ...instanceSpecOf(current), ...old }),
    { vmState: VmState.ACTIVE, powerState: PowerState.RUNNING, flavorId: current.oldFlavorId, oldFlavorId: null, ...old });
  }

  async rebuildInstance(ctx: RequestContext, uuid: string, imageRef: string): Promise<void> {
    await this.operate(ctx, uuid, 'compute_rebuild_instance', 'rebuild', async () => {
      const instance = await this.conductor.instanceGet(ctx, uuid);
      await this.driver.destroy(uuid, { destroyDisks: true });
      const image = await this.imageSource(ctx, { ...instance, imageRef });
      const network = await this.network.getInstanceNetworkInfo(uuid);
      await this.conductor.instanceUpdate(ctx, uuid, { taskState: TaskState.REBUILD_SPAWNING });
      await this.driver.spawn({ instance: instanceSpecOf(instance), image, network, blockDevices: [] });
    }, { vmState: VmState.ACTIVE, powerState: PowerState.RUNNING, imageRef, launchedAt: new Date() });
  }

  private async flavorSizes(ctx: RequestContext, flavorId: string) {
    const f = await this.conductor.flavorGet(ctx, flavorId);
    return { memoryMb: f.memoryMb, vcpus: f.vcpus, rootGb: f.rootGb, ephemeralGb: f.ephemeralGb, swapMb: f.swapMb };
  }

  /**
   * Runs one driver operation as an action event; success writes `done` and clears the task,
   * failure clears the task, records a fault and keeps the power state the driver reports.
   */
  private async operate(
    ctx: RequestContext, uuid: string, event: string, notifyAs: string, fn: () => Promise<void>,
    done: Partial<Instance>, onError?: () => Promise<void>,
  ): Promise<void> {
    await this.notifications.emit(ctx, `instance.${notifyAs}.start`, { instance_id: uuid, host: this.host });
    try {
      await this.step(ctx, uuid, event, fn);
      await this.conductor.instanceUpdate(ctx, uuid, { ...done, taskState: null });
      await this.notifications.emit(ctx, `instance.${notifyAs}.end`, { instance_id: uuid, host: this.host });
    } catch (err) {
      await onError?.();
      await this.recordFailure(ctx, uuid, err, { taskState: null });
      await this.notifications.emit(ctx, `instance.${notifyAs}.error`, { instance_id: uuid, host: this.host, fault: message(err) }, 'ERROR');
    }
    if ('memoryMb' in done) await this.updateResources().catch(() => undefined);
  }

  private async recordFailure(ctx: RequestContext, uuid: string, err: unknown, values: Partial<Instance>): Promise<void> {
    this.log.error('operation failed', { requestId: ctx.requestId, instance: uuid, error: message(err) });
    let powerState: PowerState = PowerState.NOSTATE;
    try {
      powerState = (await this.driver.getInfo(uuid)).state;
    } catch {
      // unknown to the driver: NOSTATE
    }
    await this.conductor.instanceFaultCreate(ctx, uuid, this.host, faultOf(err)).catch(() => undefined);
    await this.conductor.instanceUpdate(ctx, uuid, { ...values, powerState }).catch(() => undefined);
  }

  // ---- power-state sync ----------------------------------------------------------------

  private async onLifecycleEvent(e: LifecycleEvent): Promise<void> {
    const power: Record<LifecycleEvent['transition'], PowerState> = {
      started: PowerState.RUNNING, resumed: PowerState.RUNNING, stopped: PowerState.SHUTDOWN,
      paused: PowerState.PAUSED, suspended: PowerState.SUSPENDED,
    };
    // A guest this host is building is in a task (spawning), and a task owns the power
    // state: there is nothing to sync, so nothing to look up.
    if (this.building.has(e.instanceUuid)) return;
    try {
      const i = await this.conductor.instanceGet(null, e.instanceUuid);
      await this.syncOne(i, power[e.transition]);
    } catch (err) {
      this.log.debug('lifecycle event for an unknown instance', { instance: e.instanceUuid, error: String(err) });
    }
  }

  /** Brings the database in line with what the hypervisor reports, as Nova's _sync_power_states. */
  async syncPowerStates(): Promise<void> {
    const instances = await this.conductor.instancesOnHost(null, this.host);
    for (const i of instances) {
      if (i.taskState !== null || i.vmState === VmState.BUILDING) continue;
      let state: PowerState;
      try {
        state = (await this.driver.getInfo(i.uuid)).state;
      } catch (err) {
        if (!(err instanceof NotFound)) continue;
        state = PowerState.NOSTATE;
      }
      await this.syncOne(i, state);
    }
  }

  private async syncOne(i: Instance, state: PowerState): Promise<void> {
    if (i.taskState !== null || i.deletedAt) return; // an operation in flight owns the state
    const values: Partial<Instance> = {};
    if (i.powerState !== state) values.powerState = state;
    const down = state === PowerState.SHUTDOWN || state === PowerState.CRASHED || state === PowerState.NOSTATE;
    if (i.vmState === VmState.ACTIVE && down) values.vmState = VmState.STOPPED;
    if (i.vmState === VmState.STOPPED && state === PowerState.RUNNING) values.vmState = VmState.ACTIVE;
    if (Object.keys(values).length === 0) return;
    this.log.info('power state synced from hypervisor', { instance: i.uuid, ...values });
    await this.conductor.instanceUpdate(null, i.uuid, values, [null]);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function faultOf(err: unknown) {
  const code = err instanceof NuboError ? err.status : 500;
  return { code, message: message(err), details: err instanceof Error ? err.stack ?? message(err) : message(err) };
}

/** Wraps a promise of an iterable as an iterable, so a driver can read image bytes lazily. */
async function* asyncIterableOf(get: () => Promise<AsyncIterable<Uint8Array>>): AsyncIterable<Uint8Array> {
  yield* await get();
}
