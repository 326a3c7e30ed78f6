import { DataSource, type DataSourceOptions } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCHEMAS, Database } from '../src/persistence/index.js';
import { createTestDatabase, TEST_DATABASE_ENGINES, type TestDatabase } from '../src/testing/test-databases.js';
import { tableNames } from './persistence-tables.js';

const MAPPED_TABLES = ALL_SCHEMAS.map((s) => s.options.tableName!).sort();

/** What TypeORM would still change to make the database match the EntitySchema mappings. */
async function pendingSchemaChanges(db: Database): Promise<string[]> {
  const sql = await db.dataSource.driver.createSchemaBuilder().log();
  return sql.upQueries.map((q) => q.query);
}

// The tests of one engine share one database and run in order: open, reopen, down, up.
describe.each(TEST_DATABASE_ENGINES)('migrations on %s', (engine) => {
  let scratch: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    scratch = await createTestDatabase(engine);
    db = await new Database({ url: scratch.url }).open();
  });
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });

  it('opening an empty database creates exactly the mapped tables, as the mappings describe them', async () => {
    expect((await tableNames(db)).filter((t) => t !== 'migrations')).toEqual(MAPPED_TABLES);
    expect(await pendingSchemaChanges(db)).toEqual([]);
  });

  it('opening it again runs no migration', async () => {
    await db.close();
    db = await new Database({ url: scratch.url }).open();
    expect(await db.dataSource.showMigrations()).toBe(false);
    const applied: { name: string }[] = await db.dataSource.query('SELECT name FROM migrations');
    expect(applied.map((r) => r.name)).toEqual(['InitialSchema1764000000000', 'RequestSpecs1764100000000', 'FixedIpPerInstance1764200000000']);
  });

  it('the migration stands alone: without any mapping loaded it builds the same tables', async () => {
    const bare = await createTestDatabase(engine);
    const options = new Database({ url: bare.url }).dataSource.options;
    const ds = new DataSource({ ...options, entities: [] } as DataSourceOptions);
    try {
      await ds.initialize();
      await ds.runMigrations({ transaction: 'each' });
      const tables = await tableNames({ engine, dataSource: ds } as Database);
      expect(tables.filter((t) => t !== 'migrations')).toEqual(MAPPED_TABLES);
    } finally {
      await ds.destroy();
      await bare.drop();
    }
  });

  it('down drops every table it created', async () => {
    await db.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await db.dataSource.query('SELECT name FROM migrations')).toHaveLength(2);
    await db.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tableNames(db)).not.toContain('request_specs');
    await db.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tableNames(db)).toEqual(['migrations']);
    expect(await db.dataSource.query('SELECT name FROM migrations')).toEqual([]);
  });

  it('up after down rebuilds the same schema', async () => {
    await db.dataSource.runMigrations({ transaction: 'each' });
    expect((await tableNames(db)).filter((t) => t !== 'migrations')).toEqual(MAPPED_TABLES);
    expect(await pendingSchemaChanges(db)).toEqual([]);
  });
});
