import { EntitySchema } from 'typeorm';
import { int, snake, str } from '../column-types.js';

/** A project's override of one default limit (Nova's `quotas` table). */
export interface QuotaRow {
  projectId: string;
  resource: string;
  hardLimit: number;
}

export const QuotaSchema = new EntitySchema<QuotaRow>({
  name: 'Quota',
  tableName: 'quotas',
  columns: snake({
    projectId: { ...str(64), primary: true },
    resource: { ...str(64), primary: true },
    hardLimit: int(),
  }),
});

/**
 * One row per project, locked (SELECT … FOR UPDATE) while a quota check and the write it
 * guards run, so concurrent creates in one project are serialised on every engine.
 */
export interface QuotaLockRow {
  projectId: string;
  version: number;
}

export const QuotaLockSchema = new EntitySchema<QuotaLockRow>({
  name: 'QuotaLock',
  tableName: 'quota_locks',
  columns: snake({ projectId: { ...str(64), primary: true }, version: int() }),
});
