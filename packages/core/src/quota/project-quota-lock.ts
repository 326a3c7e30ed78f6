import type { EntityManager } from 'typeorm';
import type { Database } from '../persistence/database.js';
import { QuotaLockSchema } from '../persistence/schemas/quota-schemas.js';

/**
 * Makes sure the project has its row in `quota_locks`. On PostgreSQL and MariaDB this runs
 * on its own, before the transaction: inside it, InnoDB would keep a shared lock on the
 * duplicate key and two such transactions upgrading to FOR UPDATE deadlock each other.
 * On SQLite it must run inside the transaction (one connection, queued transactions).
 */
export async function ensureQuotaLockRow(manager: EntityManager, projectId: string): Promise<void> {
  await manager.createQueryBuilder().insert().into(QuotaLockSchema).values({ projectId, version: 0 }).orIgnore().execute();
}

/**
 * Holds the project's quota lock until `tx` ends: SELECT … FOR UPDATE on PostgreSQL and
 * MariaDB; on SQLite the Database already runs one transaction at a time.
 */
export async function lockProjectQuota(db: Database, tx: EntityManager, projectId: string): Promise<void> {
  if (db.engine === 'sqlite') {
    await ensureQuotaLockRow(tx, projectId);
    return;
  }
  const select = () =>
    tx.getRepository(QuotaLockSchema).createQueryBuilder('l').setLock('pessimistic_write').where('l.projectId = :projectId', { projectId }).getOne();
  if (await select()) return;
  // The row vanished after ensureQuotaLockRow (someone cleaned up): make it here, then lock.
  await ensureQuotaLockRow(tx, projectId);
  await select();
}
