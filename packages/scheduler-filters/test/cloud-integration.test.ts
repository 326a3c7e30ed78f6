import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cloud, FakeDriver, silentLogger } from '@nubo/core';
import { describe, expect, it } from 'vitest';
import { createFleetHostSelector } from '../src/index.js';

describe('a cloud scheduling with @nubo/scheduler-filters', () => {
  it('places servers the way its configuration says (here: stacking by RAM)', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nubo-sched-'));
    const drivers = [0, 1, 2].map(() => new FakeDriver({ capacity: { vcpus: 16, memoryMb: 32768, localGb: 1000 } }));
    const cloud = await Cloud.start({
      database: { url: `sqlite:${join(dir, 'nubo.sqlite')}` },
      imageDataDir: join(dir, 'images'),
      logger: silentLogger,
      computeHosts: drivers.map((driver, i) => ({ host: `compute${i + 1}`, driver })),
      bootstrap: { adminUser: 'admin', adminPassword: 'secret', adminProject: 'admin' },
      identity: { passwordHashCost: 10 },
      // RAM alone: with Nova's default IoOpsWeigher the fresh claim's I/O operation would
      // outweigh the RAM difference and spread the servers, as in Nova
      hostSelector: createFleetHostSelector({ weighers: ['RAMWeigher'], ramWeightMultiplier: -1.0 }),
    });
    try {
      const token = await cloud.identity.authenticatePassword(
        { user: { name: 'admin', domainId: 'default' }, password: 'secret' },
        { project: { name: 'admin', domainId: 'default' } },
      );
      const ctx = await cloud.authenticate(token.token, 'req-sched');
      const image = await cloud.images.create(ctx, { name: 'img', diskFormat: 'raw', containerFormat: 'bare', visibility: 'public' });
      await cloud.images.upload(ctx, image.id, (async function* () { yield new Uint8Array(1024); })());
      const { servers } = await cloud.computeApi.createServers(ctx, { name: 'vm', flavorRef: '2', imageRef: image.id, minCount: 4 });
      const hosts = new Set<string>();
      for (const s of servers) {
        const until = Date.now() + 60_000;
        for (;;) {
          const v = await cloud.computeApi.getServer(ctx, s.instance.uuid);
          if (v.status !== 'BUILD') {
            expect(v.status).toBe('ACTIVE');
            hosts.add(v.instance.host!);
            break;
          }
          if (Date.now() > until) throw new Error(`server ${s.instance.uuid} still building`);
          await new Promise((r) => setTimeout(r, 20));
        }
      }
      expect(hosts.size).toBe(1);
    } finally {
      await cloud.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
