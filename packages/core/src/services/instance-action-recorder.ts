import { In, IsNull, type EntityManager } from 'typeorm';
import type { ActionEventRecord } from '../model/instance-action-record.js';
import type { RequestContext } from '../model/request-context.js';
import type { Database } from '../persistence/database.js';
import { InstanceActionEventSchema, InstanceActionSchema } from '../persistence/schemas/index.js';
import { timePerRow } from '../persistence/time-per-row.js';

/** How many (instance, request) → action id lookups are remembered. */
const ACTION_ID_CACHE_SIZE = 4096;

/**
 * Records os-instance-actions: one action per user request (found again by its request id),
 * with one event per step, so a user can see what happened to a server and where it failed.
 */
export class InstanceActionRecorder {
  private readonly actionIds = new Map<string, number>();

  constructor(private readonly db: Database) {}

  /** Starts the request's action on the instance; its id, for the services that record its steps. */
  async start(ctx: RequestContext, instanceUuid: string, action: string, tx = this.db.dataSource.manager): Promise<number> {
    const res = await tx.getRepository(InstanceActionSchema).insert({
      instanceUuid, action, requestId: ctx.requestId, userId: ctx.userId, projectId: ctx.projectId,
      message: null, startTime: new Date(), finishTime: null,
    });
    const id = Number(res.identifiers[0]!.id);
    this.remember(instanceUuid, ctx.requestId, id);
    return id;
  }

  /** Notes an action id learnt from another service (it came with a message), sparing a lookup. */
  remember(instanceUuid: string, requestId: string, actionId: number): void {
    const k = `${instanceUuid}/${requestId}`;
    this.actionIds.delete(k);
    if (this.actionIds.size >= ACTION_ID_CACHE_SIZE) this.actionIds.delete(this.actionIds.keys().next().value!);
    this.actionIds.set(k, actionId);
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
  record(actionId: number | null, records: readonly ActionEventRecord[], tx: EntityManager = this.db.dataSource.manager): Promise<void> {
    return this.recordMany(actionId === null ? [] : [{ actionId, records }], tx);
  }

  /** `record` for many actions at once: one insert for all their new events. */
  async recordMany(entries: ReadonlyArray<{ actionId: number; records: readonly ActionEventRecord[] }>, tx: EntityManager = this.db.dataSource.manager): Promise<void> {
    const events = tx.getRepository(InstanceActionEventSchema);
    const rows = entries.flatMap(({ actionId, records }) => records.flatMap((r) => r.kind === 'finish' ? [] : [{
      actionId, event: r.event, host: r.host, startTime: r.startTime,
      finishTime: r.kind === 'step' ? r.finishTime : null,
      result: r.kind === 'step' ? (r.error ? 'Error' as const : 'Success' as const) : null,
      traceback: r.kind === 'step' ? r.error ?? null : null,
    }]));
    if (rows.length) await events.insert(rows);
    // Open steps finished: one UPDATE per step name and outcome, each action its own time.
    const finishes = new Map<string, { event: string; error: string | null; times: Map<number, Date> }>();
    for (const { actionId, records } of entries) {
      for (const r of records) {
        if (r.kind !== 'finish') continue;
        const key = JSON.stringify([r.event, r.error ?? null]);
        const f = finishes.get(key) ?? finishes.set(key, { event: r.event, error: r.error ?? null, times: new Map() }).get(key)!;
        f.times.set(actionId, r.finishTime);
      }
    }
    for (const [g, f] of [...finishes.values()].entries()) {
      const outcome = { result: f.error ? 'Error' as const : 'Success' as const, traceback: f.error };
      const ids = [...f.times.keys()];
      if (ids.length === 1) {
        await events.update({ actionId: ids[0]!, event: f.event, finishTime: IsNull() }, { finishTime: f.times.get(ids[0]!)!, ...outcome });
        continue;
      }
      const { sql, parameters } = timePerRow(this.db.engine, tx.connection.driver.escape('action_id'), f.times, `f${g}`);
      await tx.createQueryBuilder().update(InstanceActionEventSchema)
        .set({ finishTime: () => sql, ...outcome } as never)
        .where('action_id IN (:...ids)', { ids })
        .andWhere('event = :event', { event: f.event })
        .andWhere('finish_time IS NULL')
        .setParameters(parameters)
        .execute();
    }
    const failed = entries.filter(({ records }) => records.some((r) => r.kind !== 'start' && r.error)).map((e) => e.actionId);
    if (failed.length) await tx.getRepository(InstanceActionSchema).update({ id: In(failed) }, { message: 'Error' });
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
    const ids = await this.actionIdsOfRequests(instanceUuids.map((instanceUuid) => ({ instanceUuid, requestId: ctx.requestId })), tx);
    const found = new Map<string, number>();
    for (const [i, uuid] of instanceUuids.entries()) if (ids[i] !== null) found.set(uuid, ids[i]!);
    return found;
  }

  /** The action each (instance, request) pair's request started, in order; null where it started none. */
  async actionIdsOfRequests(pairs: ReadonlyArray<{ instanceUuid: string; requestId: string }>, tx: EntityManager = this.db.dataSource.manager): Promise<Array<number | null>> {
    const key = (p: { instanceUuid: string; requestId: string }) => `${p.instanceUuid}/${p.requestId}`;
    const missing = pairs.filter((p) => !this.actionIds.has(key(p)));
    if (missing.length) {
      const actions = await tx.getRepository(InstanceActionSchema).find({
        select: { id: true, instanceUuid: true, requestId: true },
        where: { instanceUuid: In([...new Set(missing.map((p) => p.instanceUuid))]), requestId: In([...new Set(missing.map((p) => p.requestId))]) },
        order: { id: 'ASC' },
      });
      const wanted = new Set(missing.map(key));
      // The newest action of the request wins, as a request starts at most one per instance.
      for (const a of actions) {
        if (wanted.has(key(a))) this.remember(a.instanceUuid, a.requestId, a.id);
      }
    }
    return pairs.map((p) => this.actionIds.get(key(p)) ?? null);
  }
}
