import type { EntitySchemaColumnOptions } from 'typeorm';

// Column shapes that mean the same on SQLite, PostgreSQL and MariaDB. Times are stored as
// epoch milliseconds (bigint): MariaDB's TIMESTAMP keeps whole seconds and its range ends in
// 2038, and the three engines disagree on time zones; an integer avoids all of that.

const epochMs = {
  to: (d: Date | null | undefined) => (d == null ? d : d.getTime()),
  from: (v: string | number | null) => (v == null ? null : new Date(Number(v))),
};

export const id = (length = 64): EntitySchemaColumnOptions => ({ type: 'varchar', length, primary: true });
export const str = (length = 255, nullable = false): EntitySchemaColumnOptions => ({ type: 'varchar', length, nullable });
export const text = (nullable = true): EntitySchemaColumnOptions => ({ type: 'text', nullable });
export const int = (nullable = false): EntitySchemaColumnOptions => ({ type: 'int', nullable });
export const float = (): EntitySchemaColumnOptions => ({ type: 'float' });
export const bool = (): EntitySchemaColumnOptions => ({ type: 'boolean' });
export const json = (): EntitySchemaColumnOptions => ({ type: 'simple-json' });
export const time = (nullable = false): EntitySchemaColumnOptions => ({
  type: 'bigint',
  nullable,
  transformer: epochMs,
});
export const autoId = (): EntitySchemaColumnOptions => ({ type: 'int', primary: true, generated: 'increment' });

/** Names a property's column in snake_case, as Nova's tables do. */
export function snake(columns: Record<string, EntitySchemaColumnOptions>): Record<string, EntitySchemaColumnOptions> {
  const out: Record<string, EntitySchemaColumnOptions> = {};
  for (const [prop, col] of Object.entries(columns)) {
    out[prop] = { name: prop.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), ...col };
  }
  return out;
}
