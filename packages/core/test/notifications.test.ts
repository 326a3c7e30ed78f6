import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTIFICATION_TOPIC, type Notification } from '@nubo/core';
import { startTestCloud, waitFor, type TestCloud } from './support/start-test-cloud.js';

describe('notifications', () => {
  let t: TestCloud;
  beforeAll(async () => { t = await startTestCloud(1); });
  afterAll(async () => { await t.stop(); });

  it('reach a consumer on the bus, versioned and carrying the request id, in order', async () => {
    const received: Notification[] = [];
    const listener = await t.cloud.transport.serve({ topic: NOTIFICATION_TOPIC, server: 'audit' }, {
      notify: async (_ctx, n: Notification) => { received.push(n); },
    });
    try {
      const ctx = { ...t.admin, requestId: 'req-notify' };
      const { servers } = await t.cloud.computeApi.createServers(ctx, { name: 'n', flavorRef: '1', imageRef: t.imageId });
      const uuid = servers[0]!.instance.uuid;
      await waitFor(async () => received.map((n) => n.eventType), (types) => types.includes('instance.create.end'));
      const mine = received.filter((n) => n.payload.instance_id === uuid);
      expect(mine.map((n) => n.eventType)).toEqual(['instance.create.start', 'instance.create.end']);
      for (const n of mine) {
        expect(n.version).toBe('1.0');
        expect(n.requestId).toBe('req-notify');
        expect(n.publisherId).toMatch(/^nubo\./);
        expect(Number.isNaN(Date.parse(n.timestamp))).toBe(false);
      }
    } finally {
      await listener.stop();
    }
  });
});
