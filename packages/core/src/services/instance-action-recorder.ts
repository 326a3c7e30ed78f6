import { IsNull } from 'typeorm';
import type { RequestContext } from '../model/request-context.js';
import type { Database } from '../persistence/database.js';
import { InstanceActionEventSchema, InstanceActionSchema } from '../persistence/schemas/index.js';

/**
 * Records os-instance-actions: one action per user request (found again by its request id),
 * with one event per step, so a user can see what happened to a server and where it failed.
 */
export class InstanceActionRecorder {
  constructor(private readonly db: Database) {}

  async start(ctx: RequestContext, instanceUuid: string, action: string, tx = this.db.dataSource.manager): Promise<void> {
    await tx.getRepository(InstanceActionSchema).insert({
      instanceUuid, action, requestId: ctx.requestId, userId: ctx.userId, projectId: ctx.projectId,
      message: null, startTime: new Date(), finishTime: null,
    });
  }

  async eventStart(ctx: RequestContext, instanceUuid: string, event: string, host: string | null): Promise<void> {
    const action = await this.actionOf(ctx, instanceUuid);
    if (!action) return;
    await this.db.repo(InstanceActionEventSchema).insert({
      actionId: action.id, event, host, result: null, traceback: null, startTime: new Date(), finishTime: null,
    });
  }

  async eventFinish(ctx: RequestContext, instanceUuid: string, event: string, error?: string): Promise<void> {
    const action = await this.actionOf(ctx, instanceUuid);
    if (!action) return;
    const events = this.db.repo(InstanceActionEventSchema);
    const open = await events.findOne({ where: { actionId: action.id, event, finishTime: IsNull() }, order: { id: 'DESC' } });
    if (!open) return;
    await events.update({ id: open.id }, { finishTime: new Date(), result: error ? 'Error' : 'Success', traceback: error ?? null });
    if (error) await this.db.repo(InstanceActionSchema).update({ id: action.id }, { message: 'Error' });
  }

  async finish(ctx: RequestContext, instanceUuid: string): Promise<void> {
    const action = await this.actionOf(ctx, instanceUuid);
    if (action) await this.db.repo(InstanceActionSchema).update({ id: action.id }, { finishTime: new Date() });
  }

  /** Runs `fn` as one event of the request's action: started, then finished with its outcome. */
  async step<T>(ctx: RequestContext, instanceUuid: string, event: string, host: string | null, fn: () => Promise<T>): Promise<T> {
    await this.eventStart(ctx, instanceUuid, event, host);
    try {
      const out = await fn();
      await this.eventFinish(ctx, instanceUuid, event);
      return out;
    } catch (err) {
      await this.eventFinish(ctx, instanceUuid, event, err instanceof Error ? err.message : String(err));
      throw err;
    }
  }

  private actionOf(ctx: RequestContext, instanceUuid: string) {
    return this.db.repo(InstanceActionSchema).findOne({ where: { instanceUuid, requestId: ctx.requestId }, order: { id: 'DESC' } });
  }
}
