import { IsNull } from 'typeorm';
import type { RequestContext } from '../model/request-context.js';
import type { Database } from '../persistence/database.js';
import { InstanceActionEventSchema, InstanceActionSchema } from '../persistence/schemas/index.js';

/** How many (instance, request) → action id lookups are remembered. */
const ACTION_ID_CACHE_SIZE = 4096;

/**
 * Records os-instance-actions: one action per user request (found again by its request id),
 * with one event per step, so a user can see what happened to a server and where it failed.
 */
export class InstanceActionRecorder {
  private readonly actionIds = new Map<string, number>();

  constructor(private readonly db: Database) {}

  async start(ctx: RequestContext, instanceUuid: string, action: string, tx = this.db.dataSource.manager): Promise<void> {
    await tx.getRepository(InstanceActionSchema).insert({
      instanceUuid, action, requestId: ctx.requestId, userId: ctx.userId, projectId: ctx.projectId,
      message: null, startTime: new Date(), finishTime: null,
    });
  }

  async eventStart(ctx: RequestContext, instanceUuid: string, event: string, host: string | null): Promise<void> {
    const actionId = await this.actionIdOf(ctx, instanceUuid);
    if (actionId === null) return;
    const events = this.db.repo(InstanceActionEventSchema);
    // A start re-sent after a lost reply (RPC retried across a broker reconnect) must not
    // record the step twice: an open event of the same step on the same host is that start.
    if (await events.existsBy({ actionId, event, host: host ?? IsNull(), finishTime: IsNull() })) return;
    await events.insert({
      actionId, event, host, result: null, traceback: null, startTime: new Date(), finishTime: null,
    });
  }

  async eventFinish(ctx: RequestContext, instanceUuid: string, event: string, error?: string): Promise<void> {
    const actionId = await this.actionIdOf(ctx, instanceUuid);
    if (actionId === null) return;
    await this.db.repo(InstanceActionEventSchema).update(
      { actionId, event, finishTime: IsNull() },
      { finishTime: new Date(), result: error ? 'Error' : 'Success', traceback: error ?? null },
    );
    if (error) await this.db.repo(InstanceActionSchema).update({ id: actionId }, { message: 'Error' });
  }

  async finish(ctx: RequestContext, instanceUuid: string): Promise<void> {
    const actionId = await this.actionIdOf(ctx, instanceUuid);
    if (actionId !== null) await this.db.repo(InstanceActionSchema).update({ id: actionId }, { finishTime: new Date() });
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

  private async actionIdOf(ctx: RequestContext, instanceUuid: string): Promise<number | null> {
    const key = `${instanceUuid}/${ctx.requestId}`;
    const known = this.actionIds.get(key);
    if (known !== undefined) return known;
    const action = await this.db.repo(InstanceActionSchema).findOne({
      select: { id: true }, where: { instanceUuid, requestId: ctx.requestId }, order: { id: 'DESC' },
    });
    if (!action) return null;
    if (this.actionIds.size >= ACTION_ID_CACHE_SIZE) this.actionIds.delete(this.actionIds.keys().next().value!);
    this.actionIds.set(key, action.id);
    return action.id;
  }
}
