import type { TableColumnOptions } from 'typeorm';

// Column shapes for hand-written migrations. They mirror ../column-types.ts on purpose but
// are their own copy: a released migration must keep creating what it created then, whatever
// the mappings become later (a change of mapping gets a migration of its own).

/** A string primary key (UUIDs, names). */
export const pk = (name: string, length = 64): TableColumnOptions => ({ name, type: 'varchar', length: String(length), isPrimary: true });
export const str = (name: string, length = 255, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
export const text = (name: string, nullable = true): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });
/** 'integer' rather than 'int': the spelling every engine reports back as the mapping's type. */
export const int = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'integer', isNullable: nullable });
export const float = (name: string): TableColumnOptions => ({ name, type: 'float' });
export const bool = (name: string): TableColumnOptions => ({ name, type: 'boolean' });
/** TypeORM's `simple-json`: JSON text in a plain text column on every engine. */
export const json = (name: string): TableColumnOptions => ({ name, type: 'text' });
/** Epoch milliseconds (see ../column-types.ts for why times are integers). */
export const time = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
export const bigint = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'bigint', isNullable: nullable });
/** An auto-increment key (SQLite only auto-increments an INTEGER PRIMARY KEY). */
export const autoId = (name = 'id'): TableColumnOptions => ({
  name,
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment',
});
/** Part of a composite primary key. */
export const key = (column: TableColumnOptions): TableColumnOptions => ({ ...column, isPrimary: true });
