import { randomUUID } from 'node:crypto';
import { In, IsNull, LessThan, MoreThan, type FindOptionsWhere } from 'typeorm';
import { BadRequest, NotFound, QuotaExceeded } from '../../errors.js';
import { canUseFlavor, type Flavor } from '../../model/flavor.js';
import type { Instance } from '../../model/instance.js';
import { PowerState, TaskState, VmState, type ServerStatus } from '../../model/instance-state.js';
import type { RequestContext } from '../../model/request-context.js';
import type { Logger } from '../../logging/logger.js';
import { ComputePolicy } from '../../policy/compute-policies.js';
import type { Database } from '../../persistence/database.js';
import { FlavorSchema, InstanceSchema, KeyPairSchema, RequestSpecSchema, ServiceSchema } from '../../persistence/schemas/index.js';
import type { InstanceGroupSpec, RequestSpec } from '../../ports/host-state.js';
import type { ImageService } from '../../ports/image-service.js';
import type { NetworkService } from '../../ports/network-service.js';
import type { PolicyEngine } from '../../ports/policy-engine.js';
import type { QuotaEngine } from '../../ports/quota-engine.js';
import { isServiceUp } from '../../model/service-record.js';
import type { ConductorRpcClient } from '../conductor/conductor-rpc-client.js';
import type { ComputeRpcClient } from '../compute/compute-rpc-client.js';
import type { InstanceActionRecorder } from '../instance-action-recorder.js';
import type { InstanceLookup } from './instance-lookup.js';
import { checkName, validateCreateInput, type CreateServerInput } from './server-create-input.js';
import type { ServerView, ServerViewBuilder } from './server-view.js';

export interface ServerListFilter {
  name?: string;
  status?: ServerStatus;
  host?: string;
  flavor?: string;
  image?: string;
  changesSince?: Date;
  /** Admin only: every project's servers. */
  allTenants?: boolean;
  projectId?: string;
  /** Admin only: include deleted servers. */
  deleted?: boolean;
  limit?: number;
  marker?: string;
  sortDir?: 'asc' | 'desc';
}

/** The part of the server-group service a create needs (hint `group`). */
export interface ServerGroupMembership {
  /** The scheduler's view of the group; `Forbidden`/`NotFound`/`QuotaExceeded` when it cannot take `adding` more. */
  instanceGroupFor(ctx: RequestContext, groupId: string, adding: number): Promise<InstanceGroupSpec>;
  addMembers(groupId: string, instanceUuids: string[]): Promise<void>;
}

export interface ComputeApiOptions {
  availabilityZones: () => Promise<string[]>;
  serviceDownTimeSec: number;
  serverGroups?: ServerGroupMembership;
}

const STATUS_TO_VM_STATE: Partial<Record<ServerStatus, VmState[]>> = {
  ACTIVE: [VmState.ACTIVE], BUILD: [VmState.BUILDING], SHUTOFF: [VmState.STOPPED], PAUSED: [VmState.PAUSED],
  SUSPENDED: [VmState.SUSPENDED], ERROR: [VmState.ERROR], VERIFY_RESIZE: [VmState.RESIZED], DELETED: [VmState.DELETED],
  RESCUE: [VmState.RESCUED], SHELVED: [VmState.SHELVED], SHELVED_OFFLOADED: [VmState.SHELVED_OFFLOADED],
  SOFT_DELETED: [VmState.SOFT_DELETED],
};

/**
 * The compute API as a service object, free of HTTP: Nova's `compute.api.API` for servers.
 * Every method checks policy first, validates before it writes, and writes nothing on error.
 */
export class ComputeApiService {
  constructor(
    private readonly db: Database,
    private readonly policy: PolicyEngine,
    private readonly quotas: QuotaEngine,
    private readonly images: ImageService,
    private readonly network: NetworkService,
    private readonly conductor: ConductorRpcClient,
    private readonly compute: ComputeRpcClient,
    private readonly actions: InstanceActionRecorder,
    private readonly lookup: InstanceLookup,
    private readonly views: ServerViewBuilder,
    private readonly log: Logger,
    private readonly options: ComputeApiOptions,
  ) {}

  async createServers(ctx: RequestContext, input: CreateServerInput): Promise<{ servers: ServerView[]; reservationId: string }> {
    this.policy.enforce(ctx, ComputePolicy.servers.create, { project_id: ctx.projectId, user_id: ctx.userId });
    const { userData, minCount, maxCount } = validateCreateInput(input);
    const flavor = await this.usableFlavor(ctx, input.flavorRef, 'Invalid flavorRef provided.');
    if (flavor.disabled) throw new BadRequest(`Flavor ${flavor.id} is disabled.`);
    const image = await this.bootImage(ctx, input.imageRef ?? null, flavor);
    const keyData = await this.keyData(ctx, input.keyName ?? null);
    const az = await this.checkAvailabilityZone(input.availabilityZone ?? null);
    const networks = input.networks ?? 'auto';
    if (networks !== 'auto' && networks !== 'none' && (!Array.isArray(networks.networkIds) || networks.networkIds.some((n) => typeof n !== 'string'))) {
      throw new BadRequest('Bad networks format: use "auto", "none" or a list of network ids.');
    }
    await this.network.validateRequest?.(ctx, ctx.projectId, networks);
    const metadata = input.metadata ?? {};
    if (Object.keys(metadata).length > 0) {
      const limits = await this.quotas.getLimits(ctx.projectId);
      if (limits.metadata_items >= 0 && Object.keys(metadata).length > limits.metadata_items) {
        throw new QuotaExceeded(`Quota exceeded for metadata_items: Requested ${Object.keys(metadata).length}, but already used 0 of ${limits.metadata_items} metadata_items`, 403);
      }
    }

    const groupId = input.groupId ?? firstHint(input.schedulerHints?.group);
    if (groupId !== undefined && (typeof groupId !== 'string' || !this.options.serverGroups)) {
      throw new BadRequest('Invalid server group hint.');
    }
    const group = groupId ? await this.options.serverGroups!.instanceGroupFor(ctx, groupId, maxCount) : null;

    const reservationId = `r-${randomUUID().slice(0, 8)}`;
    let created: Instance[] | null = null;
    let actionIds: number[] = [];
    for (let count = maxCount; count >= minCount && !created; count--) {
      const rows = Array.from({ length: count }, (_, n) => this.newInstance(ctx, input, flavor, keyData, userData, az, count > 1 ? n + 1 : 0));
      const spec = this.requestSpec(ctx, rows[0]!, flavor, image?.properties ?? {}, az, input, group);
      try {
        created = await this.quotas.enforce(ctx.projectId, { instances: count, cores: count * flavor.vcpus, ram: count * flavor.memoryMb }, async (tx) => {
          const em = tx as import('typeorm').EntityManager;
          await em.getRepository(InstanceSchema).insert(rows);
          const createdAt = new Date();
          await em.getRepository(RequestSpecSchema).insert(rows.map((r) => ({ instanceUuid: r.uuid, spec: { ...spec, instanceUuid: r.uuid }, networks, createdAt })));
          actionIds = [];
          for (const r of rows) actionIds.push(await this.actions.start(ctx, r.uuid, 'create', em));
          return rows;
        });
      } catch (err) {
        if (!(err instanceof QuotaExceeded) || count === minCount) throw err;
      }
    }
    const instances = created!;
    this.log.info('servers accepted', { requestId: ctx.requestId, instances: instances.map((i) => i.uuid), flavor: flavor.id });
    if (groupId) await this.options.serverGroups!.addMembers(groupId, instances.map((i) => i.uuid));
    const spec = this.requestSpec(ctx, instances[0]!, flavor, image?.properties ?? {}, az, input, group);
    try {
      await this.conductor.buildInstances(ctx, { instanceUuids: instances.map((i) => i.uuid), requestSpec: spec, networks, actionIds, image });
    } catch (err) {
      // The build never left: do not leave servers in BUILD forever.
      await this.db.repo(InstanceSchema).update({ uuid: In(instances.map((i) => i.uuid)) }, { vmState: VmState.ERROR, taskState: null });
      for (const i of instances) await this.conductor.instanceFaultCreate(ctx, i.uuid, '', { code: 500, message: `Build could not be started: ${String(err)}`, details: '' }).catch(() => undefined);
      throw err;
    }
    return { servers: this.views.accepted(instances, flavor), reservationId };
  }

  async listServers(ctx: RequestContext, filter: ServerListFilter = {}): Promise<ServerView[]> {
    this.policy.enforce(ctx, ComputePolicy.servers.index, { project_id: ctx.projectId });
    const where: FindOptionsWhere<Instance> = {};
    if (filter.allTenants || filter.deleted) this.policy.enforce(ctx, ComputePolicy.servers.indexAllTenants, { project_id: ctx.projectId });
    if (!filter.allTenants) where.projectId = ctx.projectId;
    else if (filter.projectId) where.projectId = filter.projectId;
    if (!filter.deleted) where.deletedAt = IsNull();
    if (filter.status) {
      const states = STATUS_TO_VM_STATE[filter.status];
      if (!states) return [];
      where.vmState = In(states);
    }
    if (filter.host) {
      this.policy.enforce(ctx, ComputePolicy.servers.allowAllFilters, { project_id: ctx.projectId });
      where.host = filter.host;
    }
    if (filter.flavor) where.flavorId = filter.flavor;
    if (filter.image) where.imageRef = filter.image;
    if (filter.changesSince) where.updatedAt = MoreThan(filter.changesSince);
    const limit = filter.limit ?? 1000;
    if (!Number.isInteger(limit) || limit < 0) throw new BadRequest('limit must be a non-negative integer.');
    const dir = filter.sortDir === 'asc' ? 'ASC' : 'DESC';
    if (filter.marker) {
      const marker = await this.db.repo(InstanceSchema).findOneBy({ uuid: filter.marker });
      if (!marker) throw new BadRequest(`marker [${filter.marker}] not found`);
      where.createdAt = dir === 'DESC' ? LessThan(marker.createdAt) : MoreThan(marker.createdAt);
    }
    let rows = await this.db.repo(InstanceSchema).find({ where, order: { createdAt: dir, uuid: dir }, take: filter.name ? undefined : limit });
    if (filter.name) {
      let re: RegExp;
      try {
        re = new RegExp(filter.name);
      } catch {
        throw new BadRequest(`Invalid name filter "${filter.name}".`);
      }
      rows = rows.filter((i) => re.test(i.name)).slice(0, limit);
    }
    return this.views.many(rows);
  }

  async getServer(ctx: RequestContext, uuid: string): Promise<ServerView> {
    const instance = await this.lookup.get(ctx, uuid);
    this.policy.enforce(ctx, ComputePolicy.servers.show, target(instance));
    return this.views.one(instance);
  }

  async updateServer(ctx: RequestContext, uuid: string, patch: { name?: string; accessIpV4?: string | null }): Promise<ServerView> {
    const instance = await this.lookup.get(ctx, uuid);
    this.policy.enforce(ctx, ComputePolicy.servers.update, target(instance));
    const values: Partial<Instance> = { updatedAt: new Date() };
    if (patch.name !== undefined) {
      checkName(patch.name);
      values.name = patch.name;
    }
    if (patch.accessIpV4 !== undefined) {
      if (patch.accessIpV4 !== null && (typeof patch.accessIpV4 !== 'string' || !/^\d{1,3}(\.\d{1,3}){3}$/.test(patch.accessIpV4))) {
        throw new BadRequest('Invalid input for field/attribute accessIPv4.');
      }
      values.accessIpV4 = patch.accessIpV4;
    }
    await this.db.repo(InstanceSchema).update({ uuid }, values);
    return this.getServer(ctx, uuid);
  }

  /**
   * Deletes a server: on its host when the host is up, else at once in the database (Nova's
   * local delete), so a dead host never keeps a user's quota.
   */
  async deleteServer(ctx: RequestContext, uuid: string): Promise<void> {
    const instance = await this.lookup.get(ctx, uuid);
    this.policy.enforce(ctx, ComputePolicy.servers.delete, target(instance));
    if (instance.taskState === TaskState.DELETING) return;
    await this.actions.start(ctx, uuid, 'delete');
    if (!instance.host || !(await this.hostIsUp(instance.host))) {
      await this.network.deallocateForInstance(ctx, uuid);
      await this.conductor.instanceDestroy(ctx, uuid);
      this.log.info('server deleted locally', { requestId: ctx.requestId, instance: uuid, host: instance.host });
      return;
    }
    await this.db.repo(InstanceSchema).update({ uuid }, { taskState: TaskState.DELETING, updatedAt: new Date() });
    await this.compute.terminateInstance(ctx, instance.host, uuid);
  }

  private async hostIsUp(host: string): Promise<boolean> {
    const svc = await this.db.repo(ServiceSchema).findOneBy({ binary: 'nubo-compute', host });
    return !!svc && isServiceUp(svc, new Date(), this.options.serviceDownTimeSec);
  }

  private async usableFlavor(ctx: RequestContext, flavorRef: string, message: string): Promise<Flavor> {
    const flavor = await this.db.repo(FlavorSchema).findOneBy({ id: flavorRef });
    if (!flavor || !canUseFlavor(flavor, ctx)) throw new BadRequest(message);
    return flavor;
  }

  private async bootImage(ctx: RequestContext, imageRef: string | null, flavor: Flavor) {
    if (!imageRef) throw new BadRequest('Missing imageRef attribute');
    let image;
    try {
      image = await this.images.get(ctx, imageRef);
    } catch (err) {
      if (err instanceof NotFound) throw new BadRequest(`Image ${imageRef} could not be found.`);
      throw err;
    }
    if (image.status !== 'active') throw new BadRequest(`Image ${image.id} is not active.`);
    if (flavor.rootGb > 0 && image.minDiskGb > flavor.rootGb) throw new BadRequest("Flavor's disk is too small for requested image.");
    if (image.minRamMb > flavor.memoryMb) throw new BadRequest("Flavor's memory is too small for requested image.");
    if (flavor.rootGb > 0 && image.sizeBytes && image.sizeBytes > flavor.rootGb * 1024 ** 3) {
      throw new BadRequest("Flavor's disk is too small for requested image.");
    }
    return image;
  }

  private async keyData(ctx: RequestContext, keyName: string | null): Promise<string | null> {
    if (!keyName) return null;
    const key = await this.db.repo(KeyPairSchema).findOneBy({ userId: ctx.userId, name: keyName });
    if (!key) throw new BadRequest('Invalid key_name provided.');
    return key.publicKey;
  }

  private async checkAvailabilityZone(az: string | null): Promise<string | null> {
    if (az === null) return null;
    const zone = az.split(':')[0]!;
    if (typeof az !== 'string' || !(await this.options.availabilityZones()).includes(zone)) {
      throw new BadRequest(`The requested availability zone is not available`);
    }
    return zone;
  }

  private newInstance(ctx: RequestContext, input: CreateServerInput, flavor: Flavor, keyData: string | null, userData: string | null, az: string | null, index: number): Instance {
    const now = new Date();
    return {
      uuid: randomUUID(),
      name: index ? `${input.name}-${index}` : input.name,
      projectId: ctx.projectId,
      userId: ctx.userId,
      flavorId: flavor.id,
      imageRef: input.imageRef ?? null,
      keyName: input.keyName ?? null,
      keyData,
      userData,
      metadata: input.metadata ?? {},
      availabilityZone: az,
      host: null,
      node: null,
      vmState: VmState.BUILDING,
      taskState: TaskState.SCHEDULING,
      powerState: PowerState.NOSTATE,
      memoryMb: flavor.memoryMb,
      vcpus: flavor.vcpus,
      rootGb: flavor.rootGb,
      ephemeralGb: flavor.ephemeralGb,
      swapMb: flavor.swapMb,
      accessIpV4: input.accessIpV4 ?? null,
      retryHosts: [],
      oldFlavorId: null,
      launchedAt: null,
      terminatedAt: null,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    };
  }

  private requestSpec(
    ctx: RequestContext, first: Instance, flavor: Flavor, imageProps: Record<string, string>, az: string | null,
    input: CreateServerInput, group: InstanceGroupSpec | null,
  ): RequestSpec {
    const hints: Record<string, string[]> = {};
    for (const [k, v] of Object.entries(input.schedulerHints ?? {})) hints[k] = Array.isArray(v) ? v.map(String) : [String(v)];
    return {
      instanceUuid: first.uuid,
      projectId: ctx.projectId,
      userId: ctx.userId,
      flavor: {
        id: flavor.id, name: flavor.name, memoryMb: flavor.memoryMb, rootGb: flavor.rootGb, ephemeralGb: flavor.ephemeralGb,
        swapMb: flavor.swapMb, vcpus: flavor.vcpus, extraSpecs: flavor.extraSpecs,
      },
      image: { id: first.imageRef, properties: imageProps },
      availabilityZone: az,
      schedulerHints: hints,
      instanceGroup: group,
      ignoreHosts: [],
      numInstances: 1,
    };
  }
}

function firstHint(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function target(i: Instance): { project_id: string; user_id: string } {
  return { project_id: i.projectId, user_id: i.userId };
}

