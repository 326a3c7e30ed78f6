import { In, IsNull, type EntityManager } from 'typeorm';
import type { ActionEventRecord } from '../model/instance-action-record.js';
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

  /**
   * Writes steps timed elsewhere (see ActionEventRecord) under the request's action, through
   * `tx` when given so that they land with the state change they belong to. `actionId` comes
   * from `actionIdOf`, looked up before the transaction (SQLite would queue that lookup
   * behind it).
   */
  async record(actionId: number | null, records: readonly ActionEventRecord[], tx: EntityManager = this.db.dataSource.manager): Promise<void> {
    if (actionId === null || records.length === 0) return;
    const events = tx.getRepository(InstanceActionEventSchema);
    const rows = records.flatMap((r) => r.kind === 'finish' ? [] : [{
      actionId, event: r.event, host: r.host, startTime: r.startTime,
      finishTime: r.kind === 'step' ? r.finishTime : null,
      result: r.kind === 'step' ? (r.error ? 'Error' as const : 'Success' as const) : null,
      traceback: r.kind === 'step' ? r.error ?? null : null,
    }]);
    if (rows.length) await events.insert(rows);
    for (const r of records) {
      if (r.kind !== 'finish') continue;
      await events.update({ actionId, event: r.event, finishTime: IsNull() },
        { finishTime: r.finishTime, result: r.error ? 'Error' : 'Success', traceback: r.error ?? null });
    }
    if (records.some((r) => r.kind !== 'start' && r.error)) await tx.getRepository(InstanceActionSchema).update({ id: actionId }, { message: 'Error' });
  }

  /**
   * Starts `events` (in order) for every instance of one request, each once: a request
   * handled again (a cast redelivered after its conductor died) does not record them twice.
   */
  async startForAll(ctx: RequestContext, instanceUuids: readonly string[], events: readonly string[]): Promise<void> {
    const ids = await this.actionIdsOf(ctx, instanceUuids);
    if (ids.size === 0) return;
    const repo = this.db.repo(InstanceActionEventSchema);
    const open = await repo.find({ select: { actionId: true, event: true }, where: { actionId: In([...ids.values()]), event: In([...events]), finishTime: IsNull() } });
    const seen = new Set(open.map((e) => `${e.actionId}/${e.event}`));
    const startTime = new Date();
    const rows = [...ids.values()].flatMap((actionId) => events.filter((event) => !seen.has(`${actionId}/${event}`)).map((event) => ({
      actionId, event, host: null, result: null, traceback: null, startTime, finishTime: null,
    })));
    if (rows.length) await repo.insert(rows);
  }

  /** Finishes the open `events` of every instance of one request. */
  async finishForAll(ctx: RequestContext, instanceUuids: readonly string[], events: readonly string[], error?: string, tx: EntityManager = this.db.dataSource.manager): Promise<void> {
    const ids = [...(await this.actionIdsOf(ctx, instanceUuids, tx)).values()];
    if (ids.length === 0) return;
    await tx.getRepository(InstanceActionEventSchema).update(
      { actionId: In(ids), event: In([...events]), finishTime: IsNull() },
      { finishTime: new Date(), result: error ? 'Error' : 'Success', traceback: error ?? null },
    );
    if (error) await tx.getRepository(InstanceActionSchema).update({ id: In(ids) }, { message: 'Error' });
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

  /** The id of the action `ctx`'s request started on the instance (null if it started none). */
  async actionIdOf(ctx: RequestContext, instanceUuid: string): Promise<number | null> {
    return (await this.actionIdsOf(ctx, [instanceUuid])).get(instanceUuid) ?? null;
  }

  private async actionIdsOf(ctx: RequestContext, instanceUuids: readonly string[], tx: EntityManager = this.db.dataSource.manager): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    const missing: string[] = [];
    for (const uuid of instanceUuids) {
      const known = this.actionIds.get(`${uuid}/${ctx.requestId}`);
      if (known !== undefined) found.set(uuid, known);
      else missing.push(uuid);
    }
    if (missing.length === 0) return found;
    const actions = await tx.getRepository(InstanceActionSchema).find({
      select: { id: true, instanceUuid: true }, where: { instanceUuid: In(missing), requestId: ctx.requestId }, order: { id: 'ASC' },
    });
    // The newest action of the request wins, as a request starts at most one per instance.
    for (const a of actions) found.set(a.instanceUuid, a.id);
    for (const uuid of missing) {
      const id = found.get(uuid);
      if (id === undefined) continue;
      if (this.actionIds.size >= ACTION_ID_CACHE_SIZE) this.actionIds.delete(this.actionIds.keys().next().value!);
      this.actionIds.set(`${uuid}/${ctx.requestId}`, id);
    }
    return found;
  }
}
