import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BadRequest, QuotaExceeded } from '../src/errors.js';
import { DEFAULT_QUOTAS } from '../src/model/quota.js';
import {
  Database, FixedIpSchema, InstanceSchema, QuotaSchema, ServerGroupSchema, VolumeSchema,
} from '../src/persistence/index.js';
import { DbQuotaEngine } from '../src/quota/index.js';
import { createTestDatabase, TEST_DATABASE_ENGINES, type TestDatabase } from '../src/testing/test-databases.js';
import { ENTITY_SAMPLES, sampleInstance } from './persistence-samples.js';

const sampleOf = (schema: unknown) => ENTITY_SAMPLES.find((s) => s.schema === schema)!.rows.map((r) => structuredClone(r));
let projectSeq = 0;

describe.each(TEST_DATABASE_ENGINES)('quotas on %s', (engine) => {
  let scratch: TestDatabase;
  let db: Database;
  let quotas: DbQuotaEngine;
  let project: string;

  beforeAll(async () => {
    scratch = await createTestDatabase(engine);
    db = await new Database({ url: scratch.url }).open();
    quotas = new DbQuotaEngine(db);
  });
  afterAll(async () => {
    await db?.close();
    await scratch?.drop();
  });
  // A project of its own per test: no test sees another's rows or limits.
  beforeEach(() => {
    project = `proj-${engine}-${++projectSeq}`;
  });

  const createInstance = (uuid: string, extra: Parameters<typeof sampleInstance>[0] = {}) => (tx: any) =>
    db.repo(InstanceSchema, tx).insert(sampleInstance({ uuid, projectId: project, ...extra }));
  const instancesOf = (p: string) => db.repo(InstanceSchema).countBy({ projectId: p });

  it('200 concurrent creates against a quota of 10 instances yield exactly 10', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, n) => quotas.enforce(project, { instances: 1, cores: 1, ram: 512 }, createInstance(`race-${project}-${n}`))),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
    expect(refused).toHaveLength(190);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(QuotaExceeded);
    expect(await instancesOf(project)).toBe(10);
    const first = (refused[0] as PromiseRejectedResult).reason as QuotaExceeded;
    expect(first.status).toBe(403);
    expect(first.message).toBe('Quota exceeded for instances: Requested 1, but already used 10 of 10 instances');
  });

  it('projects are limited separately: concurrent creates in four projects give each exactly its own limit', async () => {
    const projects = [0, 1, 2, 3].map((n) => `${project}-${n}`);
    await quotas.setLimits(projects[3]!, { instances: 2 });
    const results = await Promise.allSettled(
      Array.from({ length: 120 }, (_, n) => {
        const p = projects[n % 4]!;
        return quotas.enforce(p, { instances: 1 }, (tx) => db.repo(InstanceSchema, tx).insert(sampleInstance({ uuid: `multi-${p}-${n}`, projectId: p })));
      }),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(32);
    expect(await Promise.all(projects.map(instancesOf))).toEqual([10, 10, 10, 2]);
  });

  it('a create over quota is refused, the commit never runs and nothing is written', async () => {
    await quotas.setLimits(project, { instances: 1 });
    await quotas.enforce(project, { instances: 1 }, createInstance(`only-${project}`));
    let ran = false;
    await expect(
      quotas.enforce(project, { instances: 1 }, async (tx) => {
        ran = true;
        await createInstance(`extra-${project}`)(tx);
      }),
    ).rejects.toSatisfy((e) => e instanceof QuotaExceeded && e.message === 'Quota exceeded for instances: Requested 1, but already used 1 of 1 instances');
    expect(ran).toBe(false);
    expect(await instancesOf(project)).toBe(1);
  });

  it('cores and ram count the vCPUs and memory of the live instances; deleted ones free theirs', async () => {
    await quotas.enforce(project, { instances: 1, cores: 16, ram: 32768 }, createInstance(`big-${project}`, { vcpus: 16, memoryMb: 32768 }));
    await quotas.enforce(project, { instances: 1, cores: 4, ram: 8192 }, createInstance(`gone-${project}`, { vcpus: 4, memoryMb: 8192, deletedAt: new Date() }));
    await expect(quotas.enforce(project, { instances: 1, cores: 8, ram: 20480 }, createInstance(`no-${project}`))).rejects.toThrow(
      'Quota exceeded for cores, ram: Requested 8, 20480, but already used 16, 32768 of 20, 51200 cores, ram',
    );
    await quotas.enforce(project, { instances: 1, cores: 4, ram: 2048 }, createInstance(`fits-${project}`, { vcpus: 4, memoryMb: 2048 }));
    expect(await instancesOf(project)).toBe(3);
  });

  it('a limit of -1 is unlimited', async () => {
    await quotas.setLimits(project, { instances: -1 });
    for (let n = 0; n < 12; n++) await quotas.enforce(project, { instances: 1 }, createInstance(`many-${project}-${n}`));
    expect(await instancesOf(project)).toBe(12);
    expect((await quotas.getDetail(project)).instances).toEqual({ limit: -1, inUse: 12, reserved: 0 });
  });

  it('a limit of 0 refuses the first create', async () => {
    await quotas.setLimits(project, { instances: 0 });
    await expect(quotas.enforce(project, { instances: 1 }, createInstance(`zero-${project}`))).rejects.toThrow(
      'Quota exceeded for instances: Requested 1, but already used 0 of 0 instances',
    );
  });

  it('per-request limits check the requested amount alone', async () => {
    await expect(quotas.enforce(project, { metadata_items: 129 }, async () => 'never')).rejects.toThrow(
      'Quota exceeded for metadata_items: Requested 129, but already used 0 of 128 metadata_items',
    );
    expect(await quotas.enforce(project, { metadata_items: 128 }, async () => 'ok')).toBe('ok');
    expect(await quotas.enforce(project, { metadata_items: 128 }, async () => 'again')).toBe('again');
  });

  it('commit runs in the transaction: when it fails, its rows are gone and the error reaches the caller', async () => {
    await expect(
      quotas.enforce(project, { instances: 1 }, async (tx) => {
        await createInstance(`doomed-${project}`)(tx);
        throw new Error('spawn bookkeeping failed');
      }),
    ).rejects.toThrow('spawn bookkeeping failed');
    expect(await instancesOf(project)).toBe(0);
  });

  it('set limits override the defaults for that project only; reset brings the defaults back', async () => {
    const other = `${project}-other`;
    const set = await quotas.setLimits(project, { instances: 3, ram: 1024 });
    expect(set).toEqual({ ...DEFAULT_QUOTAS, instances: 3, ram: 1024 });
    await quotas.setLimits(project, { instances: 4 });
    expect(await quotas.getLimits(project)).toEqual({ ...DEFAULT_QUOTAS, instances: 4, ram: 1024 });
    expect(await quotas.getLimits(other)).toEqual(DEFAULT_QUOTAS);

    await quotas.resetLimits(project);
    expect(await quotas.getLimits(project)).toEqual(DEFAULT_QUOTAS);
    expect(await db.repo(QuotaSchema).countBy({ projectId: project })).toBe(0);
  });

  it('defaults come from the options where given, Nova\'s elsewhere', async () => {
    const custom = new DbQuotaEngine(db, { defaults: { instances: 2, floating_ips: -1 } });
    expect(custom.getDefaults()).toEqual({ ...DEFAULT_QUOTAS, instances: 2, floating_ips: -1 });
    expect(quotas.getDefaults()).toEqual(DEFAULT_QUOTAS);
    await custom.enforce(project, { instances: 2 }, async (tx) => {
      await createInstance(`d1-${project}`)(tx);
      await createInstance(`d2-${project}`)(tx);
    });
    await expect(custom.enforce(project, { instances: 1 }, createInstance(`d3-${project}`))).rejects.toBeInstanceOf(QuotaExceeded);
    expect(() => new DbQuotaEngine(db, { defaults: { instances: -5 } })).toThrow(BadRequest);
  });

  it('detail reports limits and what the project uses, counted from its rows', async () => {
    await quotas.setLimits(project, { volumes: 20 });
    const repo = db.repo(InstanceSchema);
    await repo.insert([
      sampleInstance({ uuid: `d-a-${project}`, projectId: project, vcpus: 2, memoryMb: 2048 }),
      sampleInstance({ uuid: `d-b-${project}`, projectId: project, vcpus: 4, memoryMb: 4096 }),
      sampleInstance({ uuid: `d-c-${project}`, projectId: project, vcpus: 8, memoryMb: 8192, deletedAt: new Date() }),
      sampleInstance({ uuid: `d-d-${project}`, projectId: `${project}-other`, vcpus: 8, memoryMb: 8192 }),
    ]);
    const [volume1, volume2] = sampleOf(VolumeSchema);
    await db.repo(VolumeSchema).insert([{ ...volume1!, id: `v1-${project}`, projectId: project }, { ...volume2!, id: `v2-${project}`, projectId: project }]);
    await db.repo(ServerGroupSchema).insert({ ...sampleOf(ServerGroupSchema)[0]!, uuid: `sg-${project}`, projectId: project });
    const [allocated, free] = sampleOf(FixedIpSchema);
    await db.repo(FixedIpSchema).insert([
      { ...allocated!, address: `a-${project}`, projectId: project },
      { ...free!, address: `f-${project}`, projectId: project },
    ]);

    const detail = await quotas.getDetail(project);
    expect(detail.instances).toEqual({ limit: 10, inUse: 2, reserved: 0 });
    expect(detail.cores).toEqual({ limit: 20, inUse: 6, reserved: 0 });
    expect(detail.ram).toEqual({ limit: 51200, inUse: 6144, reserved: 0 });
    expect(detail.volumes).toEqual({ limit: 20, inUse: 2, reserved: 0 });
    expect(detail.server_groups).toEqual({ limit: 10, inUse: 1, reserved: 0 });
    expect(detail.fixed_ips).toEqual({ limit: -1, inUse: 1, reserved: 0 });
    expect(detail.key_pairs).toEqual({ limit: 100, inUse: 0, reserved: 0 });
    expect(Object.keys(detail).sort()).toEqual(Object.keys(DEFAULT_QUOTAS).sort());
  });

  it('bad limits are refused with BadRequest and change nothing', async () => {
    await quotas.setLimits(project, { instances: 5 });
    for (const bad of [{ instances: -2 }, { instances: 1.5 }, { instances: '7' }, { bogus: 1 }, { cores: 4, instances: -3 }, null, [1]]) {
      await expect(quotas.setLimits(project, bad as never)).rejects.toBeInstanceOf(BadRequest);
    }
    expect(await quotas.getLimits(project)).toEqual({ ...DEFAULT_QUOTAS, instances: 5 });
    expect(await db.repo(QuotaSchema).countBy({ projectId: project })).toBe(1);
  });

  it('a bad request to enforce is refused with BadRequest before anything runs or is written', async () => {
    let ran = false;
    const commit = async () => {
      ran = true;
    };
    for (const bad of [{ flavors: 1 }, { instances: -1 }, { instances: 0.5 }, { instances: '1' }, null]) {
      await expect(quotas.enforce(project, bad as never, commit)).rejects.toBeInstanceOf(BadRequest);
    }
    for (const badProject of ['', 'x'.repeat(65), 42]) {
      await expect(quotas.enforce(badProject as never, { instances: 1 }, commit)).rejects.toBeInstanceOf(BadRequest);
      await expect(quotas.getLimits(badProject as never)).rejects.toBeInstanceOf(BadRequest);
      await expect(quotas.setLimits(badProject as never, { instances: 1 })).rejects.toBeInstanceOf(BadRequest);
    }
    expect(ran).toBe(false);
    expect(await instancesOf(project)).toBe(0);
  });
});
