import type { EntityManager } from 'typeorm';
import { DEFAULT_QUOTAS, QUOTA_RESOURCES, type QuotaDelta, type QuotaLimits, type QuotaResource } from '../model/quota.js';
import type { Database } from '../persistence/database.js';
import { QuotaSchema } from '../persistence/schemas/quota-schemas.js';
import type { QuotaDetail, QuotaEngine } from '../ports/quota-engine.js';
import { checkDelta, usedOf } from './quota-check.js';
import { COUNTED_RESOURCES, countUsage, type CountedResource } from './quota-usage.js';
import { ensureQuotaLockRow, lockProjectQuota } from './project-quota-lock.js';
import { isQuotaResource, validateDelta, validateLimits, validateProjectId } from './quota-validation.js';

export interface DbQuotaEngineOptions {
  /** Replaces some of Nova's defaults for every project without overrides of its own. */
  defaults?: Partial<QuotaLimits>;
}

/**
 * Quotas kept in the cloud's database: defaults, per-project overrides in `quotas`, usage
 * counted from the project's rows. `enforce` serialises a project's quota-checked writes on
 * its `quota_locks` row, so concurrent creates never pass a limit together.
 */
export class DbQuotaEngine implements QuotaEngine {
  private readonly defaults: QuotaLimits;
  /** Projects whose `quota_locks` row this engine has made sure of (rows are never deleted). */
  private readonly lockRowsMade = new Set<string>();

  constructor(
    private readonly db: Database,
    options: DbQuotaEngineOptions = {},
  ) {
    this.defaults = { ...DEFAULT_QUOTAS, ...validateLimits(options.defaults ?? {}) };
  }

  getDefaults(): QuotaLimits {
    return { ...this.defaults };
  }

  async getLimits(projectId: string): Promise<QuotaLimits> {
    return this.limitsIn(this.db.dataSource.manager, validateProjectId(projectId));
  }

  async setLimits(projectId: string, limits: Partial<QuotaLimits>): Promise<QuotaLimits> {
    const id = validateProjectId(projectId);
    const valid = validateLimits(limits);
    return this.db.transaction(async (tx) => {
      const rows = Object.entries(valid).map(([resource, hardLimit]) => ({ projectId: id, resource, hardLimit }));
      if (rows.length > 0) await this.db.repo(QuotaSchema, tx).upsert(rows, ['projectId', 'resource']);
      return this.limitsIn(tx, id);
    });
  }

  async resetLimits(projectId: string): Promise<void> {
    const id = validateProjectId(projectId);
    await this.db.transaction((tx) => this.db.repo(QuotaSchema, tx).delete({ projectId: id }));
  }

  async getDetail(projectId: string): Promise<Record<QuotaResource, QuotaDetail>> {
    const id = validateProjectId(projectId);
    const manager = this.db.dataSource.manager;
    const [limits, usage] = await Promise.all([this.limitsIn(manager, id), countUsage(manager, id)]);
    const detail = {} as Record<QuotaResource, QuotaDetail>;
    for (const resource of QUOTA_RESOURCES) {
      detail[resource] = { limit: limits[resource], inUse: usedOf(usage, resource), reserved: 0 };
    }
    return detail;
  }

  /**
   * Checks `delta` against the project's limits and runs `commit` in the same transaction,
   * under the project's lock: the rows `commit` writes count for the next caller. `commit`
   * must write through `tx` and not open a transaction of its own (on SQLite that would wait
   * for the one it runs in).
   * @throws BadRequest for a bad project id or delta (nothing is written).
   * @throws QuotaExceeded (403) if a limit would be passed (`commit` does not run).
   */
  async enforce<T>(projectId: string, delta: QuotaDelta, commit: (tx: EntityManager) => Promise<T>): Promise<T> {
    const id = validateProjectId(projectId);
    const valid = validateDelta(delta);
    if (this.db.engine !== 'sqlite' && !this.lockRowsMade.has(id)) {
      await ensureQuotaLockRow(this.db.dataSource.manager, id);
      this.lockRowsMade.add(id);
    }
    const counted = COUNTED_RESOURCES.filter((r) => (valid[r] ?? 0) > 0);
    const limits = await this.limitsIn(this.db.dataSource.manager, id);
    // Nothing limited, nothing to count: the project's creates need not queue on its lock
    // (a limit set meanwhile holds from the next create on).
    const asked = QUOTA_RESOURCES.filter((r) => (valid[r] ?? 0) > 0);
    if (asked.length > 0 && asked.every((r) => limits[r] < 0)) return this.db.transaction((tx) => commit(tx));
    // A request already over quota is refused without queuing for the lock: usage seen a
    // moment ago is a fair answer, and a burst at a full quota never piles up on the lock.
    checkDelta(limits, await countUsage(this.db.dataSource.manager, id, counted), valid);
    return this.db.transaction(async (tx) => {
      await lockProjectQuota(this.db, tx, id);
      await this.check(tx, id, valid, counted);
      return commit(tx);
    });
  }

  private async check(manager: EntityManager, projectId: string, delta: QuotaDelta, counted: CountedResource[]): Promise<void> {
    const limits = await this.limitsIn(manager, projectId);
    checkDelta(limits, await countUsage(manager, projectId, counted), delta);
  }

  private async limitsIn(manager: EntityManager, projectId: string): Promise<QuotaLimits> {
    const limits = this.getDefaults();
    const rows = await manager.getRepository(QuotaSchema).findBy({ projectId });
    for (const row of rows) {
      if (isQuotaResource(row.resource)) limits[row.resource] = row.hardLimit;
    }
    return limits;
  }
}
