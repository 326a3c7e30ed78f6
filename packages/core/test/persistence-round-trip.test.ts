import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCHEMAS, Database } from '../src/persistence/index.js';
import { createTestDatabase, TEST_DATABASE_ENGINES, type TestDatabase } from '../src/testing/test-databases.js';
import { ENTITY_SAMPLES } from './persistence-samples.js';

describe.each(TEST_DATABASE_ENGINES)('entities round-trip on %s', (engine) => {
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

  it('has a sample for every mapped table', () => {
    expect(ENTITY_SAMPLES.map((s) => s.schema.options.tableName).sort()).toEqual(ALL_SCHEMAS.map((s) => s.options.tableName).sort());
  });

  it.each(ENTITY_SAMPLES.map((s) => [s.schema.options.tableName!, s] as const))(
    '%s: every column reads back as written (times to the ms, JSON, booleans, nulls, bigints)',
    async (_table, { schema, rows }) => {
      const repo = db.repo(schema);
      const written = rows.map((r) => structuredClone(r));
      await repo.save(written);
      const primary = db.dataSource.getMetadata(schema).primaryColumns.map((c) => c.propertyName);
      for (const row of written) {
        const where = Object.fromEntries(primary.map((p) => [p, row[p]]));
        const read = await repo.findOneByOrFail(where);
        expect(read).toEqual(row);
      }
      expect(await repo.count()).toBe(rows.length);
    },
  );

  it('reads a time back as the same instant, in any time zone of the server', async () => {
    const [instance] = ENTITY_SAMPLES[0]!.rows;
    const read = await db.repo(ENTITY_SAMPLES[0]!.schema).findOneByOrFail({ uuid: instance!.uuid });
    expect(read.deletedAt).toBeInstanceOf(Date);
    expect(read.deletedAt.toISOString()).toBe('2026-12-31T23:59:59.999Z');
    expect(read.terminatedAt.toISOString()).toBe('2038-01-19T03:14:08.999Z');
  });
});
