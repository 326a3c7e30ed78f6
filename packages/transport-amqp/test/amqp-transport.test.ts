import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { describeTransportBehaviour } from '@nubo/core/testing';
import { RpcTimeout, ServiceUnavailable, silentLogger, type Transport } from '@nubo/core';
import { AmqpTransport, type AmqpTransportOptions } from '../src/index.js';
import { listExchanges, listQueues, purgeVhost, queueExists, TEST_AMQP_URL, withBrokerStopped } from './rabbitmq-admin.js';

// One file, run in order: the broker-restart test must not cut the other tests' connections.
// Names are unique per run, so leftovers of an interrupted run never meet this one.
const run = Math.random().toString(36).slice(2, 8);
afterAll(purgeVhost);

describeTransportBehaviour('amqp (RabbitMQ, direct reply-to)', () => ({
  connect: async () => new AmqpTransport({ url: TEST_AMQP_URL, exchange: 'nubo_suite', replyTo: 'direct', connectionName: 'nubo-suite' }),
}));

describeTransportBehaviour('amqp (RabbitMQ, reply queue per client)', () => ({
  connect: async () => new AmqpTransport({ url: TEST_AMQP_URL, exchange: 'nubo_suite', replyTo: 'queue', connectionName: 'nubo-suite' }),
}));

describe('AmqpTransport on RabbitMQ', () => {
  const opened: Transport[] = [];
  const open = (options: AmqpTransportOptions = {}): AmqpTransport => {
    const transport = new AmqpTransport({ url: TEST_AMQP_URL, exchange: 'nubo_test', logger: silentLogger, ...options });
    opened.push(transport);
    return transport;
  };
  afterEach(async () => {
    await Promise.allSettled(opened.splice(0).map((t) => t.close()));
  });

  it('lays out Nova\'s exchanges and queues, as rabbitmqctl shows them', async () => {
    const [server, client] = [open({ exchange: 'nubo_layout' }), open({ exchange: 'nubo_layout' })];
    await server.serve({ topic: 'compute', server: 'host1' }, { async ping() { return 'pong'; } });
    await server.serve({ topic: 'scheduler' }, { async ping() { return 'pong'; } });
    expect(await client.call({ topic: 'compute', server: 'host1' }, 'ping', null)).toBe('pong');
    expect(await client.call({ topic: 'scheduler' }, 'ping', null)).toBe('pong');

    // The calls above went through the topic exchange, so the bindings route as named.
    const [queues, exchanges] = await Promise.all([listQueues(), listExchanges()]);
    const shared = { durable: true, exclusive: false, autoDelete: false };
    expect(queues).toContainEqual({ name: 'compute', ...shared });
    expect(queues).toContainEqual({ name: 'compute.host1', ...shared });
    expect(queues).toContainEqual({ name: 'scheduler', ...shared });
    const perSubscriber = { durable: false, exclusive: true, autoDelete: true };
    expect(queues.filter((q) => /^compute_fanout_[0-9a-f]{32}$/.test(q.name))).toEqual([expect.objectContaining(perSubscriber)]);
    expect(queues.filter((q) => /^scheduler_fanout_[0-9a-f]{32}$/.test(q.name))).toEqual([expect.objectContaining(perSubscriber)]);
    expect(queues.filter((q) => /^reply_[0-9a-f]{32}$/.test(q.name))).toHaveLength(2);
    expect(exchanges).toContainEqual({ name: 'nubo_layout', type: 'topic', durable: true });
    expect(exchanges).toContainEqual({ name: 'compute_fanout', type: 'fanout', durable: false });
    expect(exchanges).toContainEqual({ name: 'scheduler_fanout', type: 'fanout', durable: false });

    await Promise.all([server.close(), client.close()]);
    const perConnection = queues.filter((q) => q.exclusive).map((q) => q.name);
    expect(perConnection).toHaveLength(4);
    for (const name of perConnection) expect(await queueExists(name)).toBe(false);
    for (const name of ['compute', 'compute.host1', 'scheduler']) expect(await queueExists(name)).toBe(true);
  });

  it('while no broker answers, a call times out and a cast is refused at its deadline, and close() returns', async () => {
    const transport = open({ url: 'amqp://guest:guest@127.0.0.1:1', publishTimeoutMs: 300, reconnectMaxDelayMs: 100 });
    await expect(transport.call({ topic: 'nowhere' }, 'ping', null, { timeoutMs: 300 })).rejects.toBeInstanceOf(RpcTimeout);
    const refused = await transport.cast({ topic: 'nowhere' }, 'ping', null).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ServiceUnavailable);
    expect((refused as Error).message).toContain('unreachable');
    await transport.close();
  });

  it('runs at most `prefetch` handlers of a queue at once; the rest wait in the queue', async () => {
    const topic = `prefetch_${run}`;
    const [server, client] = [open({ prefetch: 2 }), open()];
    let running = 0;
    let peak = 0;
    let done = 0;
    let allDone!: () => void;
    const finished = new Promise<void>((resolve) => { allDone = resolve; });
    await server.serve({ topic }, {
      async build() {
        peak = Math.max(peak, ++running);
        await sleep(20);
        running--;
        if (++done === 8) allDone();
      },
    });
    await Promise.all(Array.from({ length: 8 }, (_, i) => client.cast({ topic }, 'build', i)));
    await finished;
    expect(peak).toBe(2);
  });

  it('hands the messages a killed worker held unacknowledged to another worker', async () => {
    const topic = `redelivery_${run}`;
    const worker = startHangingWorker(TEST_AMQP_URL, 'nubo_test', topic);
    try {
      await worker.next('serving');
      const client = open();
      await client.cast({ topic }, 'job', 'cast-1');
      const reply = client.call({ topic }, 'job', 'call-1', { timeoutMs: 20_000 });
      await worker.next('started');
      await worker.next('started');

      const survivor = open();
      const handled: unknown[] = [];
      await survivor.serve({ topic }, { async job(_ctx, args) { handled.push(args); return 'survivor'; } });
      expect(handled).toEqual([]);
      worker.kill();
      expect(await reply).toBe('survivor');
      await until(() => handled.length === 2);
      expect(handled.sort()).toEqual(['call-1', 'cast-1']);
    } finally {
      worker.kill();
    }
  }, 60_000);

  it('survives a broker restart: reconnects, keeps every confirmed cast, handles each once, calls work again', async () => {
    const topic = `restart_${run}`;
    const server = open({ reconnectInitialDelayMs: 50, reconnectMaxDelayMs: 400 });
    const client = open({ reconnectInitialDelayMs: 50, reconnectMaxDelayMs: 400 });
    const handled = new Map<number, number>();
    let slowRuns = 0;
    let markBrokerReturned!: () => void;
    const brokerReturned = new Promise<void>((r) => { markBrokerReturned = r; });
    await server.serve({ topic }, {
      async job(_ctx, n) { handled.set(n as number, (handled.get(n as number) ?? 0) + 1); },
      async echo(_ctx, value) { return value; },
      async slow() { slowRuns++; await brokerReturned; return 'slow'; },
    });
    expect(await client.call({ topic }, 'echo', 'before')).toBe('before');
    await client.cast({ topic: `restart_idle_${run}` }, 'job', 'kept across the restart');

    // A producer casting steadily before, during (its casts wait) and after the outage.
    let brokerBack = false;
    let sent = 0;
    const producer = (async (): Promise<void> => {
      for (let extra = 0; extra < 20; extra += brokerBack ? 1 : 0) {
        await client.cast({ topic }, 'job', sent++);
        await sleep(5);
      }
    })().catch((e: unknown) => e);
    await until(() => sent > 20);
    const inFlight = client.call({ topic }, 'slow', null, { timeoutMs: 30_000 }).catch((e: unknown) => e);
    await until(() => slowRuns === 1);
    let during: Promise<unknown> = Promise.resolve();
    try {
      await withBrokerStopped(async () => {
        expect(await inFlight).toBeInstanceOf(RpcTimeout);
        during = client.call({ topic }, 'echo', 'during', { timeoutMs: 30_000 });
      });
    } finally {
      brokerBack = true;
      markBrokerReturned();
    }
    expect(await producer).toBeUndefined();
    expect(await during).toBe('during');
    expect(await client.call({ topic }, 'echo', 'after')).toBe('after');
    await until(() => handled.size === sent);
    await sleep(300);
    expect([...handled.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: sent }, (_, i) => i));
    expect([...handled.values()].filter((count) => count !== 1)).toEqual([]);
    expect(slowRuns).toBe(1);

    const kept = new Promise((resolve) => void open().serve({ topic: `restart_idle_${run}` }, { async job(_c, a) { resolve(a); } }));
    expect(await kept).toBe('kept across the restart');
  }, 90_000);
});

/** The fixture worker in its own process, so that SIGKILL really kills a worker mid-message. */
function startHangingWorker(url: string, exchange: string, topic: string) {
  const root = fileURLToPath(new URL('../../..', import.meta.url));
  const script = fileURLToPath(new URL('./fixtures/hanging-worker.ts', import.meta.url));
  const child = spawn(process.execPath, ['--conditions=nubo-source', '--import', 'tsx', script, url, exchange, topic], {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const events: string[] = [];
  const waiting: Array<() => void> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    events.push((JSON.parse(line) as { event: string }).event);
    for (const wake of waiting.splice(0)) wake();
  });
  let consumed = 0;
  return {
    async next(event: string): Promise<void> {
      for (;;) {
        const at = events.indexOf(event, consumed);
        if (at >= 0) {
          consumed = at + 1;
          return;
        }
        if (child.exitCode !== null) throw new Error(`the worker exited before "${event}"`);
        await new Promise<void>((wake) => waiting.push(wake));
      }
    },
    kill(): void {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(20);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
