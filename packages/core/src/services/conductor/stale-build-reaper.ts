import { IsNull, Not } from 'typeorm';
import type { Logger } from '../../logging/logger.js';
import { TaskState, VmState } from '../../model/instance-state.js';
import type { Instance } from '../../model/instance.js';
import type { RequestContext } from '../../model/request-context.js';
import { isServiceUp } from '../../model/service-record.js';
import type { Database } from '../../persistence/database.js';
import { FlavorSchema, InstanceActionSchema, InstanceSchema, RequestSpecSchema, ServiceSchema } from '../../persistence/schemas/index.js';
import type { RequestSpec } from '../../ports/host-state.js';
import type { NetworkRequest } from '../../ports/network-service.js';
import type { ConductorRpcClient } from './conductor-rpc-client.js';

export interface StaleBuildReaperOptions {
  /** A compute service silent this long is down (Nova's service_down_time). */
  serviceDownTimeSec: number;
}

/**
 * Finds builds that a compute host took and will never finish — the host died (its service
 * went silent past service_down_time) or restarted and lost them — and hands each back to
 * the conductor as a failed attempt on that host: rescheduled to another host, or ERROR with
 * a fault once the alternates are exhausted (the conductor's `rescheduleBuild` decides).
 *
 * Safe to run in every conductor at once: an instance is taken back by one conditional
 * update (still building, still on that host), so only one sweeper reschedules it.
 */
export class StaleBuildReaper {
  constructor(
    private readonly db: Database,
    private readonly conductor: ConductorRpcClient,
    private readonly log: Logger,
    private readonly options: StaleBuildReaperOptions,
  ) {}

  /** One sweep over every compute host that is down; returns the instances taken back. */
  async sweep(now = new Date()): Promise<string[]> {
    const services = await this.db.repo(ServiceSchema).findBy({ binary: 'nubo-compute' });
    const down = services.filter((s) => !isServiceUp(s, now, this.options.serviceDownTimeSec)).map((s) => s.host);
    const taken: string[] = [];
    for (const host of down) taken.push(...(await this.reclaimHost(host, `Compute host ${host} stopped reporting (down for more than ${this.options.serviceDownTimeSec} s) during the build.`)));
    return taken;
  }

  /**
   * Takes back every build left on `host`. Called by a compute host as it starts (builds its
   * previous life held are gone with it) and by `sweep` for hosts that are down.
   */
  async reclaimHost(host: string, reason = `Compute host ${host} restarted during the build.`, untouchedSince?: Date): Promise<string[]> {
    const building = await this.db.repo(InstanceSchema).find({
      where: { host, vmState: VmState.BUILDING, deletedAt: IsNull(), taskState: Not(IsNull()) },
    });
    // A restarted host passes its start time: builds it has claimed since are its own.
    const stuck = untouchedSince ? building.filter((i) => i.updatedAt < untouchedSince) : building;
    const taken: string[] = [];
    for (const instance of stuck) if (await this.reclaim(instance, host, reason)) taken.push(instance.uuid);
    return taken;
  }

  private async reclaim(instance: Instance, host: string, reason: string): Promise<boolean> {
    // Back to "scheduling, no host": exactly what a host that failed a build asks for. Only if
    // nobody touched it since it was read (the build may have moved on meanwhile).
    const res = await this.db.dataSource.createQueryBuilder().update(InstanceSchema)
      .set({ host: null, node: null, taskState: TaskState.SCHEDULING, vmState: VmState.BUILDING, updatedAt: new Date() } as never)
      .where('uuid = :uuid', { uuid: instance.uuid })
      .andWhere('host = :host', { host })
      .andWhere('updated_at = :seen', { seen: instance.updatedAt.getTime() })
      .andWhere('vm_state = :building', { building: VmState.BUILDING })
      .andWhere('deleted_at IS NULL')
      .execute();
    if (!res.affected) return false;
    const ctx = await this.contextOf(instance);
    this.log.warn('build abandoned by its host; rescheduling', { requestId: ctx.requestId, instance: instance.uuid, host, taskState: instance.taskState });
    const { spec, networks } = await this.requestOf(instance);
    await this.conductor.rescheduleBuild(ctx, { uuid: instance.uuid, failedHost: host, requestSpec: spec, reason, networks });
    return true;
  }

  /** The original request's context, so the reschedule shows under the user's create action. */
  private async contextOf(i: Instance): Promise<RequestContext> {
    const action = await this.db.repo(InstanceActionSchema).findOne({
      select: { requestId: true }, where: { instanceUuid: i.uuid, action: 'create' }, order: { id: 'ASC' },
    });
    return {
      requestId: action?.requestId ?? `req-reaper-${i.uuid}`, userId: i.userId, projectId: i.projectId,
      roles: ['admin'], isAdmin: true, authToken: null,
    };
  }

  /**
   * The spec the instance was created with (hints, group, networks), as a retry of it: the
   * hosts tried so far are to be avoided. Instances older than stored specs get one rebuilt
   * from their row, without hints.
   */
  private async requestOf(i: Instance): Promise<{ spec: RequestSpec; networks: NetworkRequest }> {
    const stored = await this.db.repo(RequestSpecSchema).findOneBy({ instanceUuid: i.uuid });
    if (stored) return { spec: { ...stored.spec, instanceUuid: i.uuid, ignoreHosts: i.retryHosts, numInstances: 1 }, networks: stored.networks };
    const flavor = await this.db.repo(FlavorSchema).findOneBy({ id: i.flavorId });
    return {
      spec: {
        instanceUuid: i.uuid, projectId: i.projectId, userId: i.userId,
        flavor: {
          id: i.flavorId, name: flavor?.name ?? i.flavorId, memoryMb: i.memoryMb, rootGb: i.rootGb, ephemeralGb: i.ephemeralGb,
          swapMb: i.swapMb, vcpus: i.vcpus, extraSpecs: flavor?.extraSpecs ?? {},
        },
        image: { id: i.imageRef, properties: {} },
        availabilityZone: i.availabilityZone, schedulerHints: {}, instanceGroup: null,
        ignoreHosts: i.retryHosts, numInstances: 1,
      },
      networks: 'auto',
    };
  }
}
