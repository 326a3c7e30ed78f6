import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { AsyncMutex } from './async-mutex.js';

/**
 * SQLite through TypeORM has a single connection. While one transaction is open on it, any
 * other query on that connection would silently become part of it — and be rolled back with
 * it. The gate runs transactions one at a time and holds every query from outside the open
 * transaction until it ends, so concurrent work never leaks into someone else's transaction.
 */
export class SqliteTransactionGate {
  private readonly mutex = new AsyncMutex();
  private readonly owner = new AsyncLocalStorage<symbol>();
  private open: { token: symbol; done: Promise<void> } | null = null;

  constructor(private readonly dataSource: DataSource) {}

  /** Wraps the connection's single query runner so outside queries wait for the open transaction. */
  install(): void {
    const runner = this.dataSource.driver.createQueryRunner('master') as QueryRunner & { query: QueryRunner['query'] };
    const query = runner.query.bind(runner);
    runner.query = (async (...args: Parameters<QueryRunner['query']>) => {
      while (this.open && this.owner.getStore() !== this.open.token) await this.open.done;
      return query(...args);
    }) as QueryRunner['query'];
  }

  run<T>(fn: (tx: EntityManager) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      let release!: () => void;
      const token = Symbol('sqlite-transaction');
      this.open = { token, done: new Promise<void>((r) => { release = r; }) };
      try {
        return await this.owner.run(token, () => this.dataSource.transaction(fn));
      } finally {
        this.open = null;
        release();
      }
    });
  }
}
