import type { ComputeNode } from '../../model/compute-node.js';
import type { Flavor } from '../../model/flavor.js';
import type { Image } from '../../model/image.js';
import { reviveInstance, type Instance, type InstanceSize } from '../../model/instance.js';
import type { ActionEventRecord } from '../../model/instance-action-record.js';
import type { RequestContext } from '../../model/request-context.js';
import type { RequestSpec } from '../../ports/host-state.js';
import type { Transport } from '../../ports/transport.js';
import type { NetworkRequest } from '../../ports/network-service.js';
import { callAcrossReconnects } from '../../transport/call-across-reconnects.js';
import { CallBatcher } from '../../transport/call-batcher.js';
import { deserializeError } from '../../errors.js';
import type { BuildStep, BuildStepResult } from './build-step-writer.js';
import { Topics } from '../topics.js';

export interface BuildRequest {
  instanceUuids: string[];
  requestSpec: RequestSpec;
  networks: NetworkRequest;
  /** The create action of each instance, in order, as the API started it: spares lookups by request id. */
  actionIds?: number[];
  /** The image to boot from, as the API found it (Nova hands compute hosts the image the same way). */
  image?: Image | null;
}

/** A build a compute host gave up on, for the conductor to send elsewhere (or fail). */
export interface RescheduleRequest {
  uuid: string;
  failedHost: string;
  requestSpec: RequestSpec;
  reason: string;
  networks: NetworkRequest;
  image?: Image | null;
}

export interface FaultInput {
  code: number;
  message: string;
  details: string;
}

/** Typed client of the conductor: the only way a compute host reaches the database. */
export class ConductorRpcClient {
  private readonly target = { topic: Topics.conductor };

  private readonly buildSteps: CallBatcher<BuildStep, BuildStepResult>;

  constructor(private readonly transport: Transport, private readonly timeoutMs = 60_000) {
    this.buildSteps = new CallBatcher((steps) => this.call<BuildStepResult[]>(null, 'build_steps', { steps }));
  }

  // Every conductor method a compute calls is a read or an idempotent/conditional write, so a
  // call cut by a broker restart is simply made again.
  private call<T>(ctx: RequestContext | null, method: string, args: unknown): Promise<T> {
    return callAcrossReconnects<T>(this.transport, this.target, method, args, { context: ctx, timeoutMs: this.timeoutMs });
  }

  buildInstances(ctx: RequestContext, req: BuildRequest): Promise<void> {
    return this.transport.cast(this.target, 'build_instances', req, { context: ctx });
  }

  rescheduleBuild(ctx: RequestContext, args: RescheduleRequest): Promise<void> {
    return this.transport.cast(this.target, 'reschedule_build', args, { context: ctx });
  }

  /**
   * Claims a build for `host` (SCHEDULING → NETWORKING, only if still waiting there) and
   * records the host's first steps with it; null when the build is not this host's to run.
   */
  async buildClaim(ctx: RequestContext, uuid: string, host: string, events: ActionEventRecord[], actionId?: number): Promise<{ instance: Instance } | null> {
    const r = await this.buildStep({ kind: 'claim', uuid, requestId: ctx.requestId, actionId, host, events });
    if (!('claimed' in r)) throw new Error('build_steps answered a claim with no instance.');
    return r.claimed && { instance: reviveInstance(r.claimed) };
  }

  /** A build's next state (Conflict unless it is still in `expectedTaskState`) and the steps that led to it, in one write. */
  async buildProgress(
    ctx: RequestContext, uuid: string, values: Partial<Instance>, expectedTaskState: (string | null)[], events: ActionEventRecord[], actionId?: number,
  ): Promise<void> {
    await this.buildStep({ kind: 'progress', uuid, requestId: ctx.requestId, actionId, values, expectedTaskState, events });
  }

  // The builds a host runs at once send their steps together: one call and one transaction
  // for all of them (see CallBatcher, BuildStepWriter).
  private async buildStep(step: BuildStep): Promise<Exclude<BuildStepResult, { error: unknown }>> {
    const r = await this.buildSteps.submit(step);
    if ('error' in r) throw deserializeError(r.error);
    return r;
  }

  actionEventsRecord(ctx: RequestContext, uuid: string, events: ActionEventRecord[]): Promise<void> {
    return this.call(ctx, 'action_events_record', { uuid, events });
  }

  flavorGet(ctx: RequestContext, id: string): Promise<Flavor> {
    return this.call<Flavor>(ctx, 'flavor_get', { id });
  }

  async instanceGet(ctx: RequestContext | null, uuid: string): Promise<Instance> {
    return reviveInstance(await this.call<Instance>(ctx, 'instance_get', { uuid }));
  }

  /**
   * Updates columns; with `expectedTaskState` the update happens only if the task still matches,
   * with `expectedHost` only if the instance is still on that host (else Conflict).
   */
  async instanceUpdate(ctx: RequestContext | null, uuid: string, values: Partial<Instance>, expectedTaskState?: (string | null)[], expectedHost?: string): Promise<Instance> {
    return reviveInstance(await this.call<Instance>(ctx, 'instance_update', { uuid, values, expectedTaskState, expectedHost }));
  }

  /** Marks the instance deleted (soft delete, as Nova keeps rows); idempotent. */
  instanceDestroy(ctx: RequestContext | null, uuid: string): Promise<void> {
    return this.call(ctx, 'instance_destroy', { uuid });
  }

  instanceFaultCreate(ctx: RequestContext | null, uuid: string, host: string, fault: FaultInput): Promise<void> {
    return this.call(ctx, 'instance_fault_create', { uuid, host, fault });
  }

  actionEventStart(ctx: RequestContext, uuid: string, event: string, host: string): Promise<void> {
    return this.call(ctx, 'action_event_start', { uuid, event, host });
  }

  actionEventFinish(ctx: RequestContext, uuid: string, event: string, error?: string): Promise<void> {
    return this.call(ctx, 'action_event_finish', { uuid, event, error });
  }

  async instancesOnHost(ctx: RequestContext | null, host: string): Promise<Instance[]> {
    const list = await this.call<Instance[]>(ctx, 'instances_on_host', { host });
    return list.map(reviveInstance);
  }

  instanceSizesOnHost(ctx: RequestContext | null, host: string): Promise<InstanceSize[]> {
    return this.call<InstanceSize[]>(ctx, 'instance_sizes_on_host', { host });
  }

  /** Stores the host's resources and passes them on to the schedulers, with the host's instances when known. */
  computeNodeUpdate(ctx: RequestContext | null, node: ComputeNode, instanceUuids?: string[]): Promise<void> {
    return this.call(ctx, 'compute_node_update', { node, instanceUuids });
  }

  serviceReport(ctx: RequestContext | null, service: { binary: string; host: string; topic: string; availabilityZone: string }): Promise<{ disabled: boolean }> {
    return this.call(ctx, 'service_report', service);
  }
}
