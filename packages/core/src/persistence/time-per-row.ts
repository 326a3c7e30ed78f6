import type { DatabaseEngine } from './database-options.js';

/**
 * SQL that sets a time column (epoch milliseconds, see `time()`) to a value of its own for
 * each row of one UPDATE: `CASE <key> WHEN :k0 THEN :t0 … END`, the times cast to a 64-bit
 * integer as the engine spells it (PostgreSQL would take bare parameters there as text).
 * `key` is the key column, escaped; parameters are named `${prefix}k<i>` and `${prefix}t<i>`.
 */
export function timePerRow(
  engine: DatabaseEngine, key: string, times: ReadonlyMap<string | number, Date>, prefix: string,
): { sql: string; parameters: Record<string, unknown> } {
  const type = engine === 'postgres' ? 'BIGINT' : engine === 'mariadb' ? 'SIGNED' : 'INTEGER';
  const parameters: Record<string, unknown> = {};
  const arms = [...times].map(([k, t], i) => {
    parameters[`${prefix}k${i}`] = k;
    parameters[`${prefix}t${i}`] = t.getTime();
    return `WHEN :${prefix}k${i} THEN CAST(:${prefix}t${i} AS ${type})`;
  });
  return { sql: `CASE ${key} ${arms.join(' ')} END`, parameters };
}
