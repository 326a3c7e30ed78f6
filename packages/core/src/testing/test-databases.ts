import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { DatabaseEngine } from '../persistence/database-options.js';

/** Every engine a persistence-backed suite must pass on. */
export const TEST_DATABASE_ENGINES: readonly DatabaseEngine[] = ['sqlite', 'postgres', 'mariadb'];

/** A scratch database of its own: pass `url` to `new Database({ url })`, call `drop()` after. */
export interface TestDatabase {
  engine: DatabaseEngine;
  url: string;
  drop(): Promise<void>;
}

/**
 * Servers the suites share with other suites running at the same time; each test database
 * gets a unique name so nobody sees anyone else's rows. Override with NUBO_TEST_POSTGRES_URL /
 * NUBO_TEST_MARIADB_URL (an account allowed to CREATE and DROP databases; path ignored).
 */
const SERVER_URLS: Record<Exclude<DatabaseEngine, 'sqlite'>, string> = {
  postgres: process.env.NUBO_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  mariadb: process.env.NUBO_TEST_MARIADB_URL ?? 'mariadb://root@127.0.0.1:3306/mysql',
};

/** Creates an empty database with a unique name (`nubo_t_…`) on `engine`; SQLite gets a temp file. */
export async function createTestDatabase(engine: DatabaseEngine): Promise<TestDatabase> {
  const name = `nubo_t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'nubo-t-'));
    return {
      engine,
      url: `sqlite:${join(dir, `${name}.sqlite`)}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const server = new URL(SERVER_URLS[engine]);
  await onServer(engine, server, `CREATE DATABASE ${name}`);
  const url = new URL(server.href);
  url.pathname = `/${name}`;
  const dropSql = engine === 'postgres' ? `DROP DATABASE IF EXISTS ${name} WITH (FORCE)` : `DROP DATABASE IF EXISTS ${name}`;
  return { engine, url: url.href, drop: () => onServer(engine, server, dropSql) };
}

/** Runs one administrative statement on the server, outside any test database. */
async function onServer(engine: 'postgres' | 'mariadb', server: URL, sql: string): Promise<void> {
  const conn = {
    host: server.hostname,
    port: server.port ? Number(server.port) : undefined,
    username: decodeURIComponent(server.username),
    password: decodeURIComponent(server.password),
    database: server.pathname.replace(/^\//, '') || undefined,
  };
  const ds =
    engine === 'postgres'
      ? new DataSource({ ...conn, type: 'postgres', poolSize: 1 })
      : new DataSource({ ...conn, type: 'mariadb', poolSize: 1 });
  await ds.initialize();
  try {
    await ds.query(sql);
  } finally {
    await ds.destroy();
  }
}
