import { IsNull } from 'typeorm';
import { BadRequest, Conflict, InstanceInvalidState, NotFound } from '../../errors.js';
import { canUseFlavor } from '../../model/flavor.js';
import type { Image } from '../../model/image.js';
import type { Instance } from '../../model/instance.js';
import { refuseAction, type InstanceActionName } from '../../model/instance-action.js';
import { TaskState } from '../../model/instance-state.js';
import type { RequestContext } from '../../model/request-context.js';
import { ComputePolicy } from '../../policy/compute-policies.js';
import type { Database } from '../../persistence/database.js';
import { ComputeNodeCapabilities } from './compute-node-capabilities.js';
import { FlavorSchema, InstanceSchema } from '../../persistence/schemas/index.js';
import type { DriverCapabilities, RebootType } from '../../ports/hypervisor-driver.js';
import type { ImageService } from '../../ports/image-service.js';
import type { PolicyEngine } from '../../ports/policy-engine.js';
import type { QuotaEngine } from '../../ports/quota-engine.js';
import type { ComputeRpcClient } from '../compute/compute-rpc-client.js';
import type { InstanceActionRecorder } from '../instance-action-recorder.js';
import { target } from './compute-api-service.js';
import type { InstanceLookup } from './instance-lookup.js';
import { checkMetadata, checkName } from './server-create-input.js';

/**
 * Server actions (reboot, stop, start, pause, …): each checks policy, the instance's state
 * and the host driver's capabilities, then claims the task state atomically and casts the
 * work to the instance's host. A second action racing the first gets 409, never both.
 */
export class ServerActionService {
  constructor(
    private readonly db: Database,
    private readonly policy: PolicyEngine,
    private readonly quotas: QuotaEngine,
    private readonly images: ImageService,
    private readonly compute: ComputeRpcClient,
    private readonly actions: InstanceActionRecorder,
    private readonly lookup: InstanceLookup,
    private readonly capabilities: ComputeNodeCapabilities,
  ) {}

  async reboot(ctx: RequestContext, uuid: string, type: RebootType): Promise<void> {
    if (type !== 'SOFT' && type !== 'HARD') throw new BadRequest('Invalid input for field/attribute type. Value must be SOFT or HARD.');
    const i = await this.begin(ctx, uuid, 'reboot', ComputePolicy.servers.reboot, type === 'SOFT' ? 'supportsSoftReboot' : null,
      type === 'SOFT' ? TaskState.REBOOTING : TaskState.REBOOTING_HARD);
    await this.compute.rebootInstance(ctx, i.host!, uuid, type);
  }

  async stop(ctx: RequestContext, uuid: string): Promise<void> {
    const i = await this.begin(ctx, uuid, 'stop', ComputePolicy.servers.stop, null, TaskState.POWERING_OFF);
    await this.compute.stopInstance(ctx, i.host!, uuid);
  }

  async start(ctx: RequestContext, uuid: string): Promise<void> {
    const i = await this.begin(ctx, uuid, 'start', ComputePolicy.servers.start, null, TaskState.POWERING_ON);
    await this.compute.startInstance(ctx, i.host!, uuid);
  }

  async pause(ctx: RequestContext, uuid: string): Promise<void> {
    const i = await this.begin(ctx, uuid, 'pause', ComputePolicy.pauseServer.pause, 'supportsPause', TaskState.PAUSING);
    await this.compute.pauseInstance(ctx, i.host!, uuid);
  }

  async unpause(ctx: RequestContext, uuid: string): Promise<void> {
    const i = await this.begin(ctx, uuid, 'unpause', ComputePolicy.pauseServer.unpause, 'supportsPause', TaskState.UNPAUSING);
    await this.compute.unpauseInstance(ctx, i.host!, uuid);
  }

  async suspend(ctx: RequestContext, uuid: string): Promise<void> {
    const i = await this.begin(ctx, uuid, 'suspend', ComputePolicy.suspendServer.suspend, 'supportsSuspend', TaskState.SUSPENDING);
    await this.compute.suspendInstance(ctx, i.host!, uuid);
  }

  async resume(ctx: RequestContext, uuid: string): Promise<void> {
    const i = await this.begin(ctx, uuid, 'resume', ComputePolicy.suspendServer.resume, 'supportsSuspend', TaskState.RESUMING);
    await this.compute.resumeInstance(ctx, i.host!, uuid);
  }

  /** Snapshots the server into a new private image carrying the server's id; returns the image. */
  async createImage(ctx: RequestContext, uuid: string, input: { name: string; metadata?: Record<string, string> }): Promise<Image> {
    checkName(input?.name);
    checkMetadata(input.metadata ?? {});
    const instance = await this.check(ctx, uuid, 'createImage', ComputePolicy.servers.createImage, 'supportsSnapshot');
    const image = await this.images.create(ctx, {
      name: input.name,
      visibility: 'private',
      minDiskGb: instance.rootGb,
      minRamMb: 0,
      properties: {
        ...input.metadata,
        instance_uuid: uuid,
        image_type: 'snapshot',
        ...(instance.imageRef ? { base_image_ref: instance.imageRef } : {}),
        owner_project_name: ctx.projectId,
        user_id: ctx.userId,
      },
    });
    try {
      await this.claim(ctx, instance, 'createImage', TaskState.IMAGE_SNAPSHOT);
    } catch (err) {
      await this.images.delete(ctx, image.id).catch(() => undefined);
      throw err;
    }
    await this.compute.snapshotInstance(ctx, instance.host!, uuid, image.id);
    return image;
  }

  async resize(ctx: RequestContext, uuid: string, flavorRef: string): Promise<void> {
    if (typeof flavorRef !== 'string' || !flavorRef) throw new BadRequest('Invalid flavorRef provided.');
    const instance = await this.check(ctx, uuid, 'resize', ComputePolicy.servers.resize, 'supportsResize');
    const flavor = await this.db.repo(FlavorSchema).findOneBy({ id: flavorRef });
    if (!flavor || !canUseFlavor(flavor, ctx)) throw new BadRequest(`Flavor ${flavorRef} could not be found.`);
    if (flavor.id === instance.flavorId) throw new BadRequest('When resizing, instances must change flavor!');
    if (flavor.rootGb < instance.rootGb && flavor.rootGb !== 0) throw new BadRequest('Resize to zero disk flavor is not allowed.');
    const delta = { cores: Math.max(0, flavor.vcpus - instance.vcpus), ram: Math.max(0, flavor.memoryMb - instance.memoryMb) };
    await this.quotas.enforce(instance.projectId, delta, async () => undefined);
    await this.claim(ctx, instance, 'resize', TaskState.RESIZE_PREP, { oldFlavorId: instance.flavorId });
    await this.compute.resizeInstance(ctx, instance.host!, uuid, flavor.id);
  }

  async confirmResize(ctx: RequestContext, uuid: string): Promise<void> {
    const i = await this.begin(ctx, uuid, 'confirmResize', ComputePolicy.servers.confirmResize, 'supportsResize', TaskState.RESIZE_CONFIRMING);
    await this.compute.confirmResize(ctx, i.host!, uuid);
  }

  async revertResize(ctx: RequestContext, uuid: string): Promise<void> {
    const i = await this.begin(ctx, uuid, 'revertResize', ComputePolicy.servers.revertResize, 'supportsResize', TaskState.RESIZE_REVERTING);
    await this.compute.revertResize(ctx, i.host!, uuid);
  }

  async rebuild(ctx: RequestContext, uuid: string, input: { imageRef: string; name?: string; metadata?: Record<string, string> }): Promise<void> {
    if (typeof input?.imageRef !== 'string' || !input.imageRef) throw new BadRequest('Invalid imageRef provided.');
    if (input.name !== undefined) checkName(input.name);
    if (input.metadata !== undefined) checkMetadata(input.metadata);
    const instance = await this.check(ctx, uuid, 'rebuild', ComputePolicy.servers.rebuild, 'supportsRebuild');
    let image: Image;
    try {
      image = await this.images.get(ctx, input.imageRef);
    } catch (err) {
      if (err instanceof NotFound) throw new BadRequest(`Image ${input.imageRef} could not be found.`);
      throw err;
    }
    if (image.status !== 'active') throw new BadRequest(`Image ${image.id} is not active.`);
    const extra: Partial<Instance> = {};
    if (input.name !== undefined) extra.name = input.name;
    if (input.metadata !== undefined) extra.metadata = input.metadata;
    await this.claim(ctx, instance, 'rebuild', TaskState.REBUILDING, extra);
    await this.compute.rebuildInstance(ctx, instance.host!, uuid, image.id);
  }

  private async begin(ctx: RequestContext, uuid: string, action: InstanceActionName, rule: string, capability: keyof DriverCapabilities | null, task: TaskState): Promise<Instance> {
    const instance = await this.check(ctx, uuid, action, rule, capability);
    await this.claim(ctx, instance, action, task);
    return instance;
  }

  private async check(ctx: RequestContext, uuid: string, action: InstanceActionName, rule: string, capability: keyof DriverCapabilities | null): Promise<Instance> {
    const instance = await this.lookup.get(ctx, uuid);
    this.policy.enforce(ctx, rule, target(instance));
    const refusal = refuseAction(action, instance);
    if (refusal) throw new InstanceInvalidState(refusal);
    if (!instance.host) throw new InstanceInvalidState(`Cannot '${action}' instance ${uuid}: it is not on a host.`);
    if (capability && !(await this.capabilities.supports(instance.node ?? instance.host, capability))) {
      throw new Conflict(`Cannot '${action}' instance ${uuid}: the hypervisor of its host does not support it.`);
    }
    return instance;
  }

  /** Atomically moves the task state from the one checked to `task`; a racing action loses with 409. */
  private async claim(ctx: RequestContext, instance: Instance, action: string, task: TaskState, extra: Partial<Instance> = {}): Promise<void> {
    const where = { uuid: instance.uuid, deletedAt: IsNull(), taskState: instance.taskState === null ? IsNull() : instance.taskState };
    const res = await this.db.repo(InstanceSchema).update(where, { ...extra, taskState: task, updatedAt: new Date() });
    if (!res.affected) throw new InstanceInvalidState(`Cannot '${action}' instance ${instance.uuid}: another operation is in progress.`);
    await this.actions.start(ctx, instance.uuid, snake(action));
  }
}

function snake(action: string): string {
  return action.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}
