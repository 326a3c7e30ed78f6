/**
 * True when the database chose this transaction as a deadlock victim (PostgreSQL 40P01,
 * MariaDB ER_LOCK_DEADLOCK 1213): nothing of it was written, and running it again is safe.
 */
export function isDeadlock(err: unknown): boolean {
  const e = err as { code?: unknown; errno?: unknown; driverError?: { code?: unknown; errno?: unknown } } | null;
  const codes = [e?.code, e?.driverError?.code, e?.errno, e?.driverError?.errno];
  return codes.some((c) => c === '40P01' || c === 'ER_LOCK_DEADLOCK' || c === 1213);
}
