import { In } from 'typeorm';
import { NotFound } from '../../errors.js';
import type { InstanceActionEvent, InstanceActionRecord } from '../../model/instance-action-record.js';
import type { RequestContext } from '../../model/request-context.js';
import { ComputePolicy } from '../../policy/compute-policies.js';
import type { Database } from '../../persistence/database.js';
import { InstanceActionEventSchema, InstanceActionSchema, InstanceSchema } from '../../persistence/schemas/index.js';
import type { PolicyEngine } from '../../ports/policy-engine.js';
import { target } from './compute-api-service.js';

/** os-instance-actions: what was done to a server, by whom, and how each step went. */
export class InstanceActionService {
  constructor(private readonly db: Database, private readonly policy: PolicyEngine) {}

  async list(ctx: RequestContext, uuid: string): Promise<InstanceActionRecord[]> {
    const i = await this.instance(ctx, uuid);
    this.policy.enforce(ctx, ComputePolicy.instanceActions.list, target(i));
    return this.db.repo(InstanceActionSchema).find({ where: { instanceUuid: uuid }, order: { id: 'DESC' } });
  }

  async get(ctx: RequestContext, uuid: string, requestId: string): Promise<InstanceActionRecord & { events: InstanceActionEvent[] }> {
    const i = await this.instance(ctx, uuid);
    this.policy.enforce(ctx, ComputePolicy.instanceActions.show, target(i));
    const action = await this.db.repo(InstanceActionSchema).findOneBy({ instanceUuid: uuid, requestId });
    if (!action) throw new NotFound(`Action for request_id ${requestId} on instance ${uuid} not found`);
    const events = this.policy.check(ctx, ComputePolicy.instanceActions.events, target(i))
      ? await this.db.repo(InstanceActionEventSchema).find({ where: { actionId: In([action.id]) }, order: { id: 'ASC' } })
      : [];
    return { ...action, events };
  }

  /** Deleted servers keep their action history (Nova shows it with the deleted server). */
  private async instance(ctx: RequestContext, uuid: string) {
    const i = await this.db.repo(InstanceSchema).findOneBy({ uuid });
    if (!i || (!ctx.isAdmin && i.projectId !== ctx.projectId)) throw new NotFound(`Instance ${uuid} could not be found.`);
    return i;
  }
}
