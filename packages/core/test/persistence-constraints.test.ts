import { QueryFailedError, type EntitySchema } from 'typeorm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ALL_SCHEMAS, Database, DomainSchema, FlavorSchema, InstanceSchema, KeyPairSchema, NetworkSchema, ProjectSchema,
  RoleSchema, ServiceSchema, UserSchema,
} from '../src/persistence/index.js';
import { isUniqueViolation } from '../src/persistence/unique-violation.js';
import { createTestDatabase, TEST_DATABASE_ENGINES, type TestDatabase } from '../src/testing/test-databases.js';
import { ENTITY_SAMPLES, sampleInstance } from './persistence-samples.js';

const sampleOf = (schema: unknown) => ENTITY_SAMPLES.find((s) => s.schema === schema)!.rows.map((r) => structuredClone(r));

/** A row that collides with `first` on a unique key, while differing in its primary key. */
const COLLISIONS = [
  { key: 'flavors.name', schema: FlavorSchema, clash: (r: any) => ({ ...r, id: 'other' }) },
  { key: 'domains.name', schema: DomainSchema, clash: (r: any) => ({ ...r, id: 'other' }) },
  { key: 'projects (domain, name)', schema: ProjectSchema, clash: (r: any) => ({ ...r, id: 'other' }) },
  { key: 'users (domain, name)', schema: UserSchema, clash: (r: any) => ({ ...r, id: 'other' }) },
  { key: 'roles.name', schema: RoleSchema, clash: (r: any) => ({ ...r, id: 'other' }) },
  { key: 'services (binary, host)', schema: ServiceSchema, clash: (r: any) => ({ ...r }) },
  { key: 'networks.project', schema: NetworkSchema, clash: (r: any) => ({ ...r, id: 'n-other' }) },
  { key: 'key_pairs (user, name) primary key', schema: KeyPairSchema, clash: (r: any) => ({ ...r, fingerprint: 'zz' }) },
];

describe.each(TEST_DATABASE_ENGINES)('constraints and transactions on %s', (engine) => {
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
  beforeEach(async () => {
    // DELETE rather than TRUNCATE: much faster on small tables of PostgreSQL and MariaDB.
    for (const schema of ALL_SCHEMAS) await db.dataSource.createQueryBuilder().delete().from(schema as EntitySchema).execute();
  });

  it.each(COLLISIONS.map((c) => [c.key, c] as const))('a duplicate %s is refused and the first row stays', async (_key, { schema, clash }) => {
    const [first] = sampleOf(schema);
    const repo = db.repo(schema as typeof FlavorSchema);
    await repo.insert(first);
    const refused = await repo.insert(clash(first)).then(() => null, (err: unknown) => err);
    expect(refused).toBeInstanceOf(QueryFailedError);
    // Services turn exactly this into a 409 Conflict: it must be recognisable on every engine.
    expect(isUniqueViolation(refused)).toBe(true);
    expect(await repo.count()).toBe(1);
  });

  it('a failed transaction leaves nothing of what it wrote', async () => {
    await expect(
      db.transaction(async (tx) => {
        await db.repo(InstanceSchema, tx).insert(sampleInstance({ uuid: 'i-rolled-back' }));
        await db.repo(FlavorSchema, tx).insert(sampleOf(FlavorSchema)[0]!);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await db.repo(InstanceSchema).count()).toBe(0);
    expect(await db.repo(FlavorSchema).count()).toBe(0);
  });

  it('a unique violation midway rolls back the rows before it', async () => {
    const [flavor] = sampleOf(FlavorSchema);
    await db.repo(FlavorSchema).insert(flavor!);
    await expect(
      db.transaction(async (tx) => {
        await db.repo(InstanceSchema, tx).insert(sampleInstance({ uuid: 'i-before-clash' }));
        await db.repo(FlavorSchema, tx).insert({ ...flavor!, id: 'clashing' });
      }),
    ).rejects.toBeInstanceOf(QueryFailedError);
    expect(await db.repo(InstanceSchema).count()).toBe(0);
    expect(await db.repo(FlavorSchema).findBy({})).toEqual([flavor]);
  });

  it('a committed transaction keeps everything it wrote and returns its result', async () => {
    const result = await db.transaction(async (tx) => {
      await db.repo(InstanceSchema, tx).insert([sampleInstance({ uuid: 'i-a' }), sampleInstance({ uuid: 'i-b' })]);
      return 'done';
    });
    expect(result).toBe('done');
    expect((await db.repo(InstanceSchema).find({ order: { uuid: 'ASC' } })).map((i) => i.uuid)).toEqual(['i-a', 'i-b']);
  });

  it('concurrent transactions each see their own writes and all commit', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        db.transaction(async (tx) => {
          const repo = db.repo(InstanceSchema, tx);
          await repo.insert(sampleInstance({ uuid: `i-${n}` }));
          expect(await repo.findOneBy({ uuid: `i-${n}` })).not.toBeNull();
        }),
      ),
    );
    expect(await db.repo(InstanceSchema).count()).toBe(20);
  });
});
