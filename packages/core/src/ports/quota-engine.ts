import type { QuotaDelta, QuotaLimits, QuotaResource } from '../model/quota.js';

export interface QuotaDetail {
  limit: number;
  inUse: number;
  reserved: number;
}

/**
 * Per-project limits. `enforce` is the race-free path: it takes a lock per project, counts
 * current usage, refuses with `QuotaExceeded` if `delta` would pass a limit, and otherwise
 * runs `commit` inside the same transaction so the new rows count for the next caller.
 * `tx` is the transaction handle of the persistence layer (a TypeORM EntityManager).
 */
export interface QuotaEngine {
  getLimits(projectId: string): Promise<QuotaLimits>;
  getDefaults(): QuotaLimits;
  setLimits(projectId: string, limits: Partial<QuotaLimits>): Promise<QuotaLimits>;
  /** Drops a project's overrides: it is back on the defaults. */
  resetLimits(projectId: string): Promise<void>;
  getDetail(projectId: string): Promise<Record<QuotaResource, QuotaDetail>>;
  enforce<T>(projectId: string, delta: QuotaDelta, commit: (tx: unknown) => Promise<T>): Promise<T>;
}
