import { Brackets, IsNull, type EntityManager } from 'typeorm';
import { Conflict, NoValidHost, NotFound } from '../../errors.js';
import type { ComputeNode } from '../../model/compute-node.js';
import type { Flavor } from '../../model/flavor.js';
import type { Image } from '../../model/image.js';
import type { Instance, InstanceSize } from '../../model/instance.js';
import type { ActionEventRecord } from '../../model/instance-action-record.js';
import { PowerState, TaskState, VmState } from '../../model/instance-state.js';
import type { RequestContext } from '../../model/request-context.js';
import type { Logger } from '../../logging/logger.js';
import type { NotificationBus } from '../../notifications/notification-bus.js';
import type { Database } from '../../persistence/database.js';
import {
  ComputeNodeSchema, FlavorSchema, InstanceFaultSchema, InstanceSchema, RequestSpecSchema, ServiceSchema,
} from '../../persistence/schemas/index.js';
import type { RequestSpec } from '../../ports/host-state.js';
import type { NetworkRequest } from '../../ports/network-service.js';
import type { ComputeRpcClient } from '../compute/compute-rpc-client.js';
import type { SchedulerRpcClient } from '../scheduler/scheduler-rpc-client.js';
import type { InstanceActionRecorder } from '../instance-action-recorder.js';
import type { BuildStep, BuildStepResult, BuildStepWriter } from './build-step-writer.js';
import type { BuildRequest, FaultInput, RescheduleRequest } from './conductor-rpc-client.js';

export interface ConductorOptions {
  /** Hosts tried for one build before it goes to ERROR (Nova's `[scheduler] max_attempts`). */
  maxAttempts: number;
}

/**
 * Nova's conductor: orchestrates builds (scheduler, then the chosen compute host, then a
 * reschedule to another host when a build fails) and is the compute hosts' only path to
 * the database.
 */
export class ConductorManager {
  constructor(
    private readonly db: Database,
    private readonly scheduler: SchedulerRpcClient,
    private readonly compute: ComputeRpcClient,
    private readonly actions: InstanceActionRecorder,
    private readonly buildSteps: BuildStepWriter,
    private readonly notifications: NotificationBus,
    private readonly log: Logger,
    private readonly options: ConductorOptions,
  ) {}

  async buildInstances(ctx: RequestContext, req: BuildRequest): Promise<void> {
    const { instanceUuids, requestSpec, networks } = req;
    // The conductor's steps are timed here and written with the placement they lead to (or
    // with the failure): one write per request, and none left open by a conductor that died.
    const conductorStart = new Date();
    for (const [i, id] of (req.actionIds ?? []).entries()) this.actions.remember(instanceUuids[i]!, ctx.requestId, id);
    const actionIds = await this.actions.actionIdsOfRequests(instanceUuids.map((instanceUuid) => ({ instanceUuid, requestId: ctx.requestId })));
    const schedulerStart = new Date();
    const steps = (error?: string): ActionEventRecord[] => {
      const finishTime = new Date();
      const outcome = error ? { error } : {};
      return [
        { kind: 'step', event: 'conductor_build_instances', host: null, startTime: conductorStart, finishTime, ...outcome },
        { kind: 'step', event: 'scheduler_select_destinations', host: null, startTime: schedulerStart, finishTime, ...outcome },
      ];
    };
    let selections: { host: string; node: string }[][];
    try {
      selections = await this.scheduler.selectDestinations(ctx, requestSpec, instanceUuids.length, instanceUuids);
    } catch (err) {
      const records = steps(errorMessage(err));
      await this.actions.recordMany(actionIds.flatMap((actionId) => actionId === null ? [] : [{ actionId, records }]));
      for (const uuid of instanceUuids) {
        await this.failBuild(ctx, uuid, null, err instanceof NoValidHost
          ? 'No valid host was found. There are not enough hosts available.'
          : errorMessage(err), err);
      }
      return;
    }
    const records = steps();
    // Every host written and the conductor's steps recorded in one transaction, before any
    // build is cast: the action never shows the conductor still working on an ACTIVE server.
    const placed = await this.db.transactionRetryingDeadlocks(async (tx) => {
      const out: Array<{ uuid: string; dest: { host: string; node: string }; actionId: number | null }> = [];
      const placedNow: Array<{ actionId: number; records: ActionEventRecord[] }> = [];
      for (const [i, uuid] of instanceUuids.entries()) {
        const dest = selections[i]![0]!;
        const actionId = actionIds[i] ?? null;
        if (await this.placeFirst(tx, uuid, dest)) {
          out.push({ uuid, dest, actionId });
          if (actionId !== null) placedNow.push({ actionId, records });
          continue;
        }
        // Placed by an earlier handling of this request that died before casting (its message
        // came back): send it where it was placed; the host runs one build of it at most.
        const placed = await tx.getRepository(InstanceSchema).findOneBy({ uuid });
        if (placed && !placed.deletedAt && placed.taskState === TaskState.SCHEDULING && placed.host) {
          out.push({ uuid, dest: { host: placed.host, node: placed.node ?? placed.host }, actionId });
        }
      }
      await this.actions.recordMany(placedNow, tx);
      return out;
    });
    // Sent side by side: each waits for the broker to confirm it (a disk write), and one
    // that fails fails only its own build.
    await Promise.all(placed.map(({ uuid, dest, actionId }) =>
      this.castBuild(ctx, uuid, dest, { ...requestSpec, instanceUuid: uuid }, networks, actionId, req.image ?? null)));
  }

  /**
   * Gives a new instance its first host. Only an instance still waiting for one is placed: a
   * server deleted meanwhile, or a request handled before (its cast redelivered), is not.
   */
  private async placeFirst(tx: EntityManager, uuid: string, dest: { host: string; node: string }): Promise<boolean> {
    const res = await tx.createQueryBuilder().update(InstanceSchema)
      .set({ host: dest.host, node: dest.node, retryHosts: [dest.host], updatedAt: new Date() } as never)
      .where('uuid = :uuid', { uuid })
      .andWhere('deleted_at IS NULL')
      .andWhere('host IS NULL')
      .andWhere('task_state = :scheduling', { scheduling: TaskState.SCHEDULING })
      .execute();
    return (res.affected ?? 0) > 0;
  }

  /** A compute host failed to build: try another host, or give up with a fault. */
  async rescheduleBuild(ctx: RequestContext, args: RescheduleRequest): Promise<void> {
    const instance = await this.db.repo(InstanceSchema).findOneBy({ uuid: args.uuid });
    if (!instance || instance.deletedAt) return;
    const tried = instance.retryHosts;
    if (tried.length >= this.options.maxAttempts) {
      await this.failBuild(ctx, args.uuid, args.failedHost,
        `Exceeded maximum number of retries. Exceeded max scheduling attempts ${this.options.maxAttempts} for instance ${args.uuid}. Last exception: ${args.reason}`);
      return;
    }
    const spec: RequestSpec = { ...args.requestSpec, instanceUuid: args.uuid, ignoreHosts: tried };
    this.log.info('rescheduling build', { requestId: ctx.requestId, instance: args.uuid, failedHost: args.failedHost, tried });
    let selections;
    try {
      selections = await this.actions.step(ctx, args.uuid, 'scheduler_select_destinations', null, () =>
        this.scheduler.selectDestinations(ctx, spec, 1));
    } catch (err) {
      await this.failBuild(ctx, args.uuid, args.failedHost, err instanceof NoValidHost
        ? `No valid host was found. Exhausted all hosts available for retrying build failures for instance ${args.uuid}.`
        : errorMessage(err), err);
      return;
    }
    await this.sendToHost(ctx, args.uuid, selections[0]![0]!, spec, args.networks, args.image ?? null);
  }

  private async sendToHost(
    ctx: RequestContext, uuid: string, dest: { host: string; node: string }, spec: RequestSpec, networks: NetworkRequest, image: Image | null,
  ): Promise<void> {
    const instances = this.db.repo(InstanceSchema);
    const current = await instances.findOneBy({ uuid });
    // The user may have deleted the server while it was being scheduled: nothing to build.
    if (!current || current.deletedAt || current.taskState !== TaskState.SCHEDULING) return;
    await instances.update({ uuid }, {
      host: dest.host, node: dest.node, retryHosts: [...current.retryHosts, dest.host], updatedAt: new Date(),
    });
    await this.castBuild(ctx, uuid, dest, spec, networks, null, image);
  }

  private async castBuild(
    ctx: RequestContext, uuid: string, dest: { host: string; node: string }, spec: RequestSpec, networks: NetworkRequest,
    actionId: number | null = null, image: Image | null = null,
  ): Promise<void> {
    this.log.info('casting build to compute host', { requestId: ctx.requestId, instance: uuid, host: dest.host });
    try {
      await this.compute.buildAndRunInstance(ctx, dest.host, {
        uuid, requestSpec: spec, networks, ...(actionId !== null ? { actionId } : {}), ...(image ? { image } : {}),
      });
    } catch (err) {
      await this.failBuild(ctx, uuid, dest.host, `The build could not be sent to host ${dest.host}: ${errorMessage(err)}`, err);
    }
  }

  private async failBuild(ctx: RequestContext, uuid: string, host: string | null, message: string, cause?: unknown): Promise<void> {
    // The fault first: whoever sees ERROR must also see why.
    await this.instanceFaultCreate(ctx, uuid, host, {
      code: 500, message, details: cause instanceof Error ? cause.stack ?? message : message,
    });
    await this.db.repo(InstanceSchema).update({ uuid, deletedAt: IsNull() }, {
      vmState: VmState.ERROR, taskState: null, powerState: PowerState.NOSTATE, updatedAt: new Date(),
    });
    this.log.warn('build failed', { requestId: ctx.requestId, instance: uuid, reason: message });
    await this.notifications.emit(ctx, 'instance.create.error', { instance_id: uuid, fault: message }, 'ERROR');
  }

  actionEventStart(ctx: RequestContext, uuid: string, event: string, host: string): Promise<void> {
    return this.actions.eventStart(ctx, uuid, event, host);
  }

  actionEventFinish(ctx: RequestContext, uuid: string, event: string, error?: string): Promise<void> {
    return this.actions.eventFinish(ctx, uuid, event, error);
  }

  async instanceGet(uuid: string): Promise<Instance> {
    const instance = await this.db.repo(InstanceSchema).findOneBy({ uuid });
    if (!instance) throw new NotFound(`Instance ${uuid} could not be found.`);
    return instance;
  }

  async flavorGet(id: string): Promise<Flavor> {
    const flavor = await this.db.repo(FlavorSchema).findOneBy({ id });
    if (!flavor) throw new NotFound(`Flavor ${id} could not be found.`);
    return flavor;
  }

  /** Conditional update: Conflict unless the task state (and, if given, the host) still match. */
  async instanceUpdate(uuid: string, values: Partial<Instance>, expectedTaskState?: (string | null)[], expectedHost?: string): Promise<Instance> {
    await this.conditionalUpdate(this.db.dataSource.manager, uuid, values, expectedTaskState, expectedHost);
    return this.instanceGet(uuid);
  }

  /** Many builds' steps as one compute host sends them together, in one transaction (see BuildStepWriter). */
  writeBuildSteps(steps: readonly BuildStep[]): Promise<BuildStepResult[]> {
    return this.buildSteps.write(steps);
  }

  async actionEventsRecord(ctx: RequestContext, uuid: string, events: ActionEventRecord[]): Promise<void> {
    const actionId = await this.actions.actionIdOf(ctx, uuid);
    await this.db.transactionRetryingDeadlocks((tx) => this.actions.record(actionId, events, tx));
  }

  private async conditionalUpdate(
    tx: EntityManager, uuid: string, values: Partial<Instance>, expectedTaskState?: (string | null)[], expectedHost?: string,
  ): Promise<UpdateOutcome> {
    const qb = tx.createQueryBuilder().update(InstanceSchema)
      .set({ ...values, updatedAt: new Date() } as never)
      .where('uuid = :uuid', { uuid })
      .andWhere('deleted_at IS NULL');
    if (expectedHost !== undefined) qb.andWhere('host = :expectedHost', { expectedHost });
    if (expectedTaskState) {
      const named = expectedTaskState.filter((t): t is string => t !== null);
      qb.andWhere(new Brackets((w) => {
        if (named.length) w.where('task_state IN (:...named)', { named });
        if (expectedTaskState.includes(null)) w.orWhere('task_state IS NULL');
      }));
    }
    const res = await qb.execute();
    if (res.affected) return 'updated';
    const now = await tx.getRepository(InstanceSchema).findOneBy({ uuid });
    if (!now || now.deletedAt) throw new NotFound(`Instance ${uuid} could not be found.`);
    // The same update again (a call redelivered after the conductor that ran it died before
    // replying): already done, so done. A compute never runs two builds of one instance.
    if (values.taskState !== undefined && now.taskState === values.taskState && (expectedHost === undefined || now.host === expectedHost)) return 'repeated';
    if (expectedHost !== undefined && now.host !== expectedHost) throw new Conflict(`Instance ${uuid} is on host ${now.host}, not ${expectedHost}.`);
    throw new Conflict(`Unexpected task state: expecting ${JSON.stringify(expectedTaskState)} but the actual state is ${now.taskState}`);
  }

  async instanceDestroy(uuid: string): Promise<void> {
    const now = new Date();
    await this.db.repo(InstanceSchema).update({ uuid, deletedAt: IsNull() }, {
      vmState: VmState.DELETED, taskState: null, powerState: PowerState.NOSTATE, deletedAt: now, terminatedAt: now, updatedAt: now,
    });
    // Nothing will be scheduled for it again.
    await this.db.repo(RequestSpecSchema).delete({ instanceUuid: uuid });
  }

  async instanceFaultCreate(_ctx: RequestContext | null, uuid: string, host: string | null, fault: FaultInput): Promise<void> {
    await this.db.repo(InstanceFaultSchema).insert({
      instanceUuid: uuid, code: fault.code, message: fault.message.slice(0, 1024), details: fault.details, host, createdAt: new Date(),
    });
  }

  async instancesOnHost(host: string): Promise<Instance[]> {
    return this.db.repo(InstanceSchema).find({ where: { host, deletedAt: IsNull() } });
  }

  /** What the resource tracker counts of each instance on the host, building ones included. */
  async instanceSizesOnHost(host: string): Promise<InstanceSize[]> {
    return this.db.repo(InstanceSchema).find({
      select: { uuid: true, memoryMb: true, vcpus: true, rootGb: true, ephemeralGb: true, swapMb: true },
      where: { host, deletedAt: IsNull() },
    });
  }

  /** A host's resource report: stored, then passed to every scheduler with the host's instances. */
  async computeNodeUpdate(node: ComputeNode, instanceUuids?: string[]): Promise<void> {
    const stored = { ...node, updatedAt: new Date() };
    await this.db.repo(ComputeNodeSchema).upsert(stored, ['hypervisorHostname']);
    const onHost = instanceUuids ?? (await this.db.repo(InstanceSchema).find({ select: { uuid: true }, where: { host: node.host, deletedAt: IsNull() } })).map((i) => i.uuid);
    await this.scheduler.updateHostState(stored, onHost);
  }

  async serviceReport(s: { binary: string; host: string; topic: string; availabilityZone: string }): Promise<{ disabled: boolean }> {
    const services = this.db.repo(ServiceSchema);
    const now = new Date();
    const existing = await services.findOneBy({ binary: s.binary, host: s.host });
    if (existing) {
      await services.update({ id: existing.id }, { lastSeenAt: now, reportCount: existing.reportCount + 1, topic: s.topic });
      return { disabled: existing.disabled };
    }
    await services.insert({
      binary: s.binary, host: s.host, topic: s.topic, availabilityZone: s.availabilityZone, disabled: false,
      disabledReason: null, forcedDown: false, reportCount: 1, lastSeenAt: now, createdAt: now,
    });
    return { disabled: false };
  }
}

type UpdateOutcome = 'updated' | 'repeated';

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
