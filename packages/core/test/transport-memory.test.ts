import { describe, expect, it } from 'vitest';
import { describeTransportBehaviour } from '../src/testing/transport-suite.js';
import { MemoryBroker, MemoryTransport } from '../src/transport/index.js';
import { RpcTimeout } from '../src/errors.js';
import type { LogRecord } from '../src/logging/logger.js';
import { JsonLogger } from '../src/logging/logger.js';

describeTransportBehaviour('memory', () => {
  const broker = new MemoryBroker();
  return { connect: async () => new MemoryTransport({ broker }) };
});

describe('MemoryTransport', () => {
  it('serves and calls through one instance, as services sharing one process do', async () => {
    const transport = new MemoryTransport();
    await transport.serve({ topic: 'scheduler' }, { async select(_ctx, n) { return [`host-${n as number}`]; } });
    await transport.serve({ topic: 'compute', server: 'host-1' }, { async ping() { return 'pong'; } });
    expect(await transport.call({ topic: 'scheduler' }, 'select', 1)).toEqual(['host-1']);
    expect(await transport.call({ topic: 'compute', server: 'host-1' }, 'ping', null)).toBe('pong');
    await transport.close();
  });

  it('keeps each instance a broker of its own: no state is shared between them', async () => {
    const first = new MemoryTransport();
    const second = new MemoryTransport();
    await first.serve({ topic: 'conductor' }, { async ping() { return 'first'; } });
    await expect(second.call({ topic: 'conductor' }, 'ping', null, { timeoutMs: 100 })).rejects.toBeInstanceOf(RpcTimeout);
    expect(await first.call({ topic: 'conductor' }, 'ping', null)).toBe('first');
    await Promise.all([first.close(), second.close()]);
  });

  it('reports a failed cast to its logger with the request id, since no caller hears of it', async () => {
    const records: LogRecord[] = [];
    const transport = new MemoryTransport({ logger: new JsonLogger((r) => records.push(r), 'debug') });
    const failed = new Promise<void>((resolve) => {
      void transport.serve({ topic: 'compute' }, {
        async build() {
          setImmediate(resolve);
          throw new Error('disk full');
        },
      });
    });
    const ctx = { requestId: 'req-42', userId: 'u', projectId: 'p', roles: [], isAdmin: false, authToken: null };
    await transport.cast({ topic: 'compute' }, 'build', null, { context: ctx });
    await failed;
    expect(records).toMatchObject([{ level: 'error', method: 'build', requestId: 'req-42', error: 'disk full' }]);
    await transport.close();
  });

  it('queues a cast while nobody serves, visible as the queue depth of its broker', async () => {
    const transport = new MemoryTransport();
    await transport.cast({ topic: 'compute', server: 'host-9' }, 'build', { n: 1 });
    expect(transport.broker.depth('compute.host-9')).toBe(1);
    const got = new Promise((resolve) => void transport.serve({ topic: 'compute', server: 'host-9' }, { async build(_c, a) { resolve(a); } }));
    expect(await got).toEqual({ n: 1 });
    expect(transport.broker.depth('compute.host-9')).toBe(0);
    await transport.close();
  });

  it('runs at most `prefetch` handlers of a queue at once, as RabbitMQ does; the rest wait their turn', async () => {
    const transport = new MemoryTransport({ prefetch: 2 });
    let running = 0;
    let peak = 0;
    let done = 0;
    const allDone = new Promise<void>((resolve) => {
      void transport.serve({ topic: 'compute' }, {
        async build() {
          peak = Math.max(peak, ++running);
          await new Promise((r) => setTimeout(r, 5));
          running--;
          if (++done === 10) resolve();
        },
      });
    });
    for (let i = 0; i < 10; i++) await transport.cast({ topic: 'compute' }, 'build', i);
    await allDone;
    expect(peak).toBe(2);
    await transport.close();
  });
});
