import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cloud, InstanceSchema, QuotaExceeded, silentLogger } from '@nubo/core';
import { createTestDatabase, TEST_DATABASE_ENGINES } from '@nubo/core/testing';

describe.each(TEST_DATABASE_ENGINES)('200 concurrent server creates against a quota of 10 instances (%s)', (engine) => {
  it('yields exactly 10 servers and 190 QuotaExceeded', async () => {
    const database = await createTestDatabase(engine);
    const dir = mkdtempSync(join(tmpdir(), 'nubo-quota-race-'));
    const cloud = await Cloud.start({
      database: { url: database.url },
      imageDataDir: join(dir, 'images'),
      logger: silentLogger,
      hostName: 'race',
      bootstrap: { adminUser: 'admin', adminPassword: 'pw', adminProject: 'admin' },
      identity: { passwordHashCost: 10 },
      quotaDefaults: { instances: 10, cores: -1, ram: -1 },
    });
    try {
      const token = await cloud.identity.authenticatePassword({ user: { name: 'admin', domainId: 'default' }, password: 'pw' }, { project: { name: 'admin', domainId: 'default' } });
      const ctx = await cloud.authenticate(token.token);
      const image = await cloud.images.create(ctx, { name: 'i', diskFormat: 'raw', containerFormat: 'bare', visibility: 'public' });
      await cloud.images.upload(ctx, image.id, (async function* () { yield new Uint8Array(8); })());
      const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) =>
        cloud.computeApi.createServers({ ...ctx, requestId: `req-race-${i}` }, { name: `r${i}`, flavorRef: '1', imageRef: image.id })));
      const ok = results.filter((r) => r.status === 'fulfilled');
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(ok).toHaveLength(10);
      expect(refused).toHaveLength(190);
      expect(refused.every((r) => r.reason instanceof QuotaExceeded)).toBe(true);
      expect(await cloud.database.repo(InstanceSchema).countBy({ projectId: ctx.projectId })).toBe(10);
    } finally {
      await cloud.stop();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
