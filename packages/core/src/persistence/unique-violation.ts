/** True when a database error is a unique-key violation, on SQLite, PostgreSQL or MariaDB. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: unknown; errno?: unknown; driverError?: { code?: unknown; errno?: unknown } } | null;
  const codes = [e?.code, e?.driverError?.code, e?.errno, e?.driverError?.errno];
  return codes.some(
    (c) => c === 'SQLITE_CONSTRAINT_UNIQUE' || c === 'SQLITE_CONSTRAINT_PRIMARYKEY' || c === '23505' || c === 'ER_DUP_ENTRY' || c === 1062,
  );
}
