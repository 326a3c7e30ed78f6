import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataSource, type EntityManager, type EntitySchema, type ObjectLiteral, type Repository } from 'typeorm';
import { SqliteTransactionGate } from './sqlite-transaction-gate.js';
import { isDeadlock } from './deadlock.js';
import { engineOf, type DatabaseEngine, type DatabaseOptions } from './database-options.js';
import { ALL_SCHEMAS } from './schemas/index.js';
import { ALL_MIGRATIONS } from './migrations/index.js';

/**
 * The cloud's SQL database: one TypeORM DataSource over SQLite, PostgreSQL or MariaDB, the
 * schema brought up to date by migrations on open.
 */
export class Database {
  readonly engine: DatabaseEngine;
  readonly dataSource: DataSource;
  private sqliteGate: SqliteTransactionGate | null = null;

  constructor(readonly options: DatabaseOptions) {
    this.engine = engineOf(options.url);
    this.dataSource = new DataSource(dataSourceOptions(this.engine, options));
  }

  async open(): Promise<this> {
    if (this.engine === 'sqlite') {
      const path = sqlitePath(this.options.url);
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    }
    await this.dataSource.initialize();
    if (this.engine === 'sqlite') {
      await this.dataSource.query('PRAGMA journal_mode = WAL');
      await this.dataSource.query('PRAGMA busy_timeout = 5000');
      // WAL with synchronous=NORMAL is durable across crashes of the process and keeps the
      // file consistent across power loss; FULL would fsync on every commit.
      await this.dataSource.query('PRAGMA synchronous = NORMAL');
      this.sqliteGate = new SqliteTransactionGate(this.dataSource);
      this.sqliteGate.install();
    }
    await this.dataSource.runMigrations({ transaction: 'each' });
    return this;
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  repo<T extends ObjectLiteral>(schema: EntitySchema<T>, tx?: EntityManager): Repository<T> {
    return (tx ?? this.dataSource.manager).getRepository(schema);
  }

  /**
   * `transaction`, run again when the database picks it as a deadlock victim (as oslo.db's
   * retry_on_deadlock): concurrent writers of one table may deadlock on MariaDB's gap locks.
   * `fn` must do nothing outside the database, as it may run more than once.
   */
  async transactionRetryingDeadlocks<T>(fn: (tx: EntityManager) => Promise<T>, attempts = 5): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.transaction(fn);
      } catch (err) {
        if (!isDeadlock(err) || attempt >= attempts) throw err;
        await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
      }
    }
  }

  /** Runs `fn` in one transaction; on SQLite, transactions are queued one after another. */
  transaction<T>(fn: (tx: EntityManager) => Promise<T>): Promise<T> {
    if (this.sqliteGate) return this.sqliteGate.run(fn);
    return this.dataSource.transaction(fn);
  }
}

function sqlitePath(url: string): string {
  return url.slice('sqlite:'.length) || ':memory:';
}

function dataSourceOptions(engine: DatabaseEngine, o: DatabaseOptions) {
  const common = { entities: ALL_SCHEMAS, migrations: ALL_MIGRATIONS, logging: o.logging ?? false, synchronize: false };
  if (engine === 'sqlite') {
    return { ...common, type: 'better-sqlite3' as const, database: sqlitePath(o.url) };
  }
  const u = new URL(o.url);
  const conn = {
    host: u.hostname,
    port: u.port ? Number(u.port) : undefined,
    username: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: u.pathname.replace(/^\//, ''),
  };
  if (engine === 'postgres') return { ...common, ...conn, type: 'postgres' as const, poolSize: o.poolSize ?? 10 };
  // 'mariadb' makes TypeORM read MariaDB's catalogue right (its column defaults differ from MySQL's).
  const type = u.protocol === 'mariadb:' ? ('mariadb' as const) : ('mysql' as const);
  return { ...common, ...conn, type, connectorPackage: 'mysql2' as const, poolSize: o.poolSize ?? 10, charset: 'utf8mb4' };
}
