import { afterEach, describe, expect, it } from 'vitest';
import { ALL_SCHEMAS, Database } from '../src/persistence/index.js';
import { createTestDatabase, TEST_DATABASE_ENGINES, type TestDatabase } from '../src/testing/test-databases.js';
import { tableNames } from './persistence-tables.js';

const MAPPED_TABLES = ALL_SCHEMAS.map((s) => s.options.tableName!).sort();

describe.each(TEST_DATABASE_ENGINES)('migrations on %s', (engine) => {
  let scratch: TestDatabase;
  let db: Database;

  afterEach(async () => {
    await db?.close();
    await scratch?.drop();
  });

  async function openFresh(): Promise<Database> {
    scratch = await createTestDatabase(engine);
    db = await new Database({ url: scratch.url }).open();
    return db;
  }

  it('creates exactly the mapped tables, and the schema builder finds nothing left to change', async () => {
    await openFresh();
    expect((await tableNames(db)).filter((t) => t !== 'migrations')).toEqual(MAPPED_TABLES);
    const pending = await db.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('down drops every table, and up afterwards rebuilds the same schema', async () => {
    await openFresh();
    await db.dataSource.undoLastMigration({ transaction: 'each' });
    expect(await tableNames(db)).toEqual(['migrations']);

    await db.dataSource.runMigrations({ transaction: 'each' });
    expect((await tableNames(db)).filter((t) => t !== 'migrations')).toEqual(MAPPED_TABLES);
    const pending = await db.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('opening an up-to-date database again runs no migration', async () => {
    await openFresh();
    await db.close();
    db = await new Database({ url: scratch.url }).open();
    expect(await db.dataSource.showMigrations()).toBe(false);
    const applied = await db.dataSource.query('SELECT name FROM migrations');
    expect(applied.map((r: { name: string }) => r.name)).toEqual(['InitialSchema1764000000000']);
  });
});
