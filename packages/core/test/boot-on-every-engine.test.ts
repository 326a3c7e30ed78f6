import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Cloud, FakeDriver, silentLogger } from '@nubo/core';
import { createTestDatabase, TEST_DATABASE_ENGINES } from '@nubo/core/testing';
import { waitFor } from './support/start-test-cloud.js';

describe.each(TEST_DATABASE_ENGINES)('the same cloud on %s', (engine) => {
  it('boots servers to ACTIVE, stops one and deletes them all', async () => {
    const database = await createTestDatabase(engine);
    const dir = mkdtempSync(join(tmpdir(), 'nubo-engine-'));
    const cloud = await Cloud.start({
      database: { url: database.url },
      imageDataDir: join(dir, 'images'),
      logger: silentLogger,
      hostName: `ctl-${engine}`,
      computeHosts: [{ host: 'c1', driver: new FakeDriver() }, { host: 'c2', driver: new FakeDriver() }],
      bootstrap: { adminUser: 'admin', adminPassword: 'pw', adminProject: 'admin' },
      identity: { passwordHashCost: 10 },
    });
    try {
      const token = await cloud.identity.authenticatePassword({ user: { name: 'admin', domainId: 'default' }, password: 'pw' }, { project: { name: 'admin', domainId: 'default' } });
      const ctx = await cloud.authenticate(token.token);
      const image = await cloud.images.create(ctx, { name: 'i', diskFormat: 'raw', containerFormat: 'bare', visibility: 'public' });
      await cloud.images.upload(ctx, image.id, (async function* () { yield new Uint8Array(1024); })());
      const { servers } = await cloud.computeApi.createServers(ctx, { name: 'e', flavorRef: '1', imageRef: image.id, minCount: 4 });
      const uuids = servers.map((s) => s.instance.uuid);
      const views = await Promise.all(uuids.map((u) => waitFor(() => cloud.computeApi.getServer(ctx, u), (v) => v.status !== 'BUILD', 20_000)));
      expect(views.map((v) => v.status)).toEqual(['ACTIVE', 'ACTIVE', 'ACTIVE', 'ACTIVE']);
      expect(new Set(views.map((v) => v.addresses[0]!.address)).size).toBe(4);
      await cloud.serverActions.stop(ctx, uuids[0]!);
      await waitFor(() => cloud.computeApi.getServer(ctx, uuids[0]!), (v) => v.status === 'SHUTOFF', 20_000);
      for (const u of uuids) await cloud.computeApi.deleteServer(ctx, u);
      await waitFor(() => cloud.computeApi.listServers(ctx), (l) => l.length === 0, 20_000);
    } finally {
      await cloud.stop();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
