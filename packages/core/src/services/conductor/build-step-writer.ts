import { In, type EntityManager } from 'typeorm';
import { Conflict, NotFound, serializeError, type SerializedError } from '../../errors.js';
import type { Instance } from '../../model/instance.js';
import type { ActionEventRecord } from '../../model/instance-action-record.js';
import { TaskState } from '../../model/instance-state.js';
import type { Database } from '../../persistence/database.js';
import { isDeadlock } from '../../persistence/deadlock.js';
import { InstanceSchema } from '../../persistence/schemas/index.js';
import { timePerRow } from '../../persistence/time-per-row.js';
import type { InstanceActionRecorder } from '../instance-action-recorder.js';

/**
 * A compute host's claim on a build: the instance moves from SCHEDULING to NETWORKING only
 * if it is still waiting, on this host; the host's first steps are recorded with the move.
 */
export interface BuildClaimStep {
  kind: 'claim';
  uuid: string;
  requestId: string;
  /** The request's action on the instance, when the host was told it: spares a lookup. */
  actionId?: number;
  host: string;
  events: ActionEventRecord[];
}

/** A build's next state (only from `expectedTaskState`) and the steps that led to it. */
export interface BuildProgressStep {
  kind: 'progress';
  uuid: string;
  requestId: string;
  actionId?: number;
  values: Partial<Instance>;
  expectedTaskState: (string | null)[];
  events: ActionEventRecord[];
}

export type BuildStep = BuildClaimStep | BuildProgressStep;

/**
 * A claim's instance (null: not this host's build to run), a progress `done`, or the error
 * the step alone failed with.
 */
export type BuildStepResult = { claimed: Instance | null } | { done: true } | { error: SerializedError };

/** How often a batch is written again after rows it read changed under it. */
const ATTEMPTS = 5;

/**
 * Writes the build steps of many instances — as one compute host sends them together — in
 * one transaction: one read of their rows, one conditional update per distinct change, one
 * insert of all their action events. Each step keeps its own outcome: a step the instance's
 * state refuses fails alone, and a batch the database refuses is written again step by step.
 */
export class BuildStepWriter {
  constructor(private readonly db: Database, private readonly actions: InstanceActionRecorder) {}

  async write(steps: readonly BuildStep[]): Promise<BuildStepResult[]> {
    // Two steps of one instance in a batch are written in order, in successive rounds.
    const seen = new Set<string>();
    const first = steps.filter((s) => !seen.has(s.uuid) && seen.add(s.uuid));
    if (first.length < steps.length) {
      const rest = steps.filter((s) => !first.includes(s));
      const [a, b] = [await this.write(first), await this.write(rest)];
      return steps.map((s) => (first.includes(s) ? a[first.indexOf(s)] : b[rest.indexOf(s)])!);
    }
    for (const s of steps) if (s.actionId !== undefined) this.actions.remember(s.uuid, s.requestId, s.actionId);
    // Looked up before the transaction: SQLite would queue the lookup behind it.
    const actionIds = await this.actions.actionIdsOfRequests(steps.map((s) => ({ instanceUuid: s.uuid, requestId: s.requestId })));
    try {
      return await this.writeRetrying(steps, actionIds);
    } catch (err) {
      if (steps.length === 1) return [{ error: serializeError(err) }];
      return Promise.all(steps.map(async (s, i) => (await this.writeRetrying([s], [actionIds[i]!]).catch((e) => [{ error: serializeError(e) }]))[0]!));
    }
  }

  private async writeRetrying(steps: readonly BuildStep[], actionIds: ReadonlyArray<number | null>): Promise<BuildStepResult[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction((tx) => this.writeIn(tx, steps, actionIds));
      } catch (err) {
        if (!(err instanceof ChangedUnderUs || isDeadlock(err)) || attempt >= ATTEMPTS) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
      }
    }
  }

  private async writeIn(tx: EntityManager, steps: readonly BuildStep[], actionIds: ReadonlyArray<number | null>): Promise<BuildStepResult[]> {
    const repo = tx.getRepository(InstanceSchema);
    const rows = new Map((await repo.findBy({ uuid: In(steps.map((s) => s.uuid)) })).map((r) => [r.uuid, r]));
    const now = new Date();
    const updates = new Map<string, ConditionalUpdate>();
    const events: Array<{ actionId: number; records: ActionEventRecord[] }> = [];
    const results = steps.map((step, i): BuildStepResult => {
      const row = rows.get(step.uuid);
      const decision = decide(step, row);
      if (decision === 'update') {
        const values: Partial<Instance> = step.kind === 'claim' ? { taskState: TaskState.NETWORKING } : step.values;
        const condition = { taskState: row!.taskState, host: step.kind === 'claim' ? step.host : undefined };
        // Times differ from build to build (launchedAt): they are set per row, the rest per group.
        const entries = Object.entries(values);
        const same = Object.fromEntries(entries.filter(([, v]) => !(v instanceof Date))) as Partial<Instance>;
        const times = Object.fromEntries(entries.filter(([, v]) => v instanceof Date)) as Record<string, Date>;
        const key = JSON.stringify([same, Object.keys(times).sort(), condition]);
        const u = updates.get(key) ?? updates.set(key, { values: same, condition, rows: [] }).get(key)!;
        u.rows.push({ uuid: step.uuid, times });
        if (actionIds[i] !== null && step.events.length) events.push({ actionId: actionIds[i]!, records: step.events });
        return step.kind === 'claim' ? { claimed: { ...row!, ...values, updatedAt: now } } : { done: true };
      }
      if (decision === 'repeated') return step.kind === 'claim' ? { claimed: row! } : { done: true };
      if (step.kind === 'claim') return { claimed: null };
      return { error: serializeError(decision) };
    });
    for (const [g, u] of [...updates.values()].entries()) {
      const qb = tx.createQueryBuilder().update(InstanceSchema);
      const set: Record<string, unknown> = { ...u.values, updatedAt: now };
      for (const field of Object.keys(u.rows[0]!.times)) {
        const perRow = new Map(u.rows.map((r) => [r.uuid, r.times[field]!]));
        if (new Set([...perRow.values()].map((t) => t.getTime())).size === 1) {
          set[field] = u.rows[0]!.times[field];
          continue;
        }
        const { sql, parameters } = timePerRow(this.db.engine, tx.connection.driver.escape('uuid'), perRow, `g${g}${field}`);
        set[field] = () => sql;
        qb.setParameters(parameters);
      }
      const uuids = u.rows.map((r) => r.uuid);
      qb.set(set as never)
        .where('uuid IN (:...uuids)', { uuids })
        .andWhere('deleted_at IS NULL')
        .andWhere(u.condition.taskState === null ? 'task_state IS NULL' : 'task_state = :observed', { observed: u.condition.taskState });
      if (u.condition.host !== undefined) qb.andWhere('host = :host', { host: u.condition.host });
      const res = await qb.execute();
      if ((res.affected ?? 0) !== uuids.length) throw new ChangedUnderUs();
    }
    if (events.length) await this.actions.recordMany(events, tx);
    return results;
  }
}

interface ConditionalUpdate {
  values: Partial<Instance>;
  condition: { taskState: string | null; host: string | undefined };
  rows: Array<{ uuid: string; times: Record<string, Date> }>;
}

/** Rows read at the start of a batch changed before its update (a concurrent writer): write it again. */
class ChangedUnderUs extends Error {}

/**
 * What a step does to the instance as it stands: moves it on, finds the move already made (a
 * step sent again after its reply was lost: nothing is recorded twice), or is refused.
 */
function decide(step: BuildStep, row: Instance | undefined): 'update' | 'repeated' | Error {
  if (!row || row.deletedAt) return new NotFound(`Instance ${step.uuid} could not be found.`);
  if (step.kind === 'claim') {
    if (row.host !== step.host) return new Conflict(`Instance ${step.uuid} is on host ${row.host}, not ${step.host}.`);
    if (row.taskState === TaskState.SCHEDULING) return 'update';
    if (row.taskState === TaskState.NETWORKING) return 'repeated';
    return new Conflict(`Unexpected task state: expecting ["${TaskState.SCHEDULING}"] but the actual state is ${row.taskState}`);
  }
  if (step.expectedTaskState.includes(row.taskState)) return 'update';
  if (step.values.taskState !== undefined && row.taskState === step.values.taskState) return 'repeated';
  return new Conflict(`Unexpected task state: expecting ${JSON.stringify(step.expectedTaskState)} but the actual state is ${row.taskState}`);
}
