// RPC over RabbitMQ: AmqpTransport's `call` round trip next to a raw amqplib request/reply
// (the floor, as in /work/shared/anchors/amqp_raw_bench.mjs) in the same run, casts/s, and the
// in-process MemoryTransport for reference. Calls are sequential (one caller, one small
// payload); configurations alternate in blocks so that load from elsewhere hits them alike.
import { performance } from 'node:perf_hooks';
import amqp from 'amqplib';
import { MemoryTransport, silentLogger, type Transport } from '@nubo/core';
import { AmqpTransport } from '@nubo/transport-amqp';

const URL = process.env.NUBO_BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const BLOCKS = 4;
const CALLS_PER_BLOCK = 250;
const WARMUP = 100;
const CASTS = 10_000;
const run = Math.random().toString(36).slice(2, 8);
const PAYLOAD = { text: 'x'.repeat(64) };

interface CallBench {
  name: string;
  call(): Promise<unknown>;
  latencies: number[];
  seconds: number;
  /** Process CPU (client and server side together: both live here) spent in the measured calls. */
  cpuMicros: number;
  casts?: () => Promise<number>;
  close(): Promise<void>;
}

/** Raw amqplib: a queue, an exclusive reply queue, correlation ids. What any RPC layer adds to. */
async function rawAmqplib(): Promise<CallBench> {
  const conn = await amqp.connect(URL, { noDelay: true });
  const srv = await conn.createChannel();
  const cli = await conn.createChannel();
  const queue = `raw_bench_${run}`;
  await srv.assertQueue(queue, { durable: false, autoDelete: true });
  let casts = 0;
  let castsDone: () => void = () => undefined;
  let castTarget = 0;
  await srv.consume(queue, (m) => {
    if (!m) return;
    if (m.properties.replyTo) srv.sendToQueue(m.properties.replyTo, m.content, { correlationId: m.properties.correlationId });
    else if (++casts === castTarget) castsDone();
    srv.ack(m);
  });
  const { queue: replyQ } = await cli.assertQueue('', { exclusive: true });
  const waiting = new Map<string, () => void>();
  let seq = 0;
  await cli.consume(replyQ, (m) => {
    const id = m!.properties.correlationId as string;
    waiting.get(id)?.();
    waiting.delete(id);
  }, { noAck: true });
  const body = Buffer.from(JSON.stringify(PAYLOAD));
  return {
    name: 'raw amqplib request/reply',
    latencies: [],
    seconds: 0,
    cpuMicros: 0,
    call: () => new Promise<void>((resolve) => {
      const id = String(++seq);
      waiting.set(id, resolve);
      cli.sendToQueue(queue, body, { replyTo: replyQ, correlationId: id });
    }),
    casts: async () => {
      casts = 0;
      castTarget = CASTS;
      const done = new Promise<void>((r) => { castsDone = r; });
      const t0 = performance.now();
      for (let i = 0; i < CASTS; i++) cli.sendToQueue(queue, Buffer.from(JSON.stringify({ n: i })));
      await bounded(done, 'raw casts');
      return CASTS / ((performance.now() - t0) / 1000);
    },
    close: () => conn.close(),
  };
}

/** A Transport under test: one serving, one calling (two connections for AMQP, as two processes). */
async function overTransport(name: string, topic: string, server: Transport, client: Transport): Promise<CallBench> {
  let handled = 0;
  let castTarget = 0;
  let castsDone: () => void = () => undefined;
  await server.serve({ topic }, {
    async echo(_ctx, args) { return args; },
    async count() { if (++handled === castTarget) castsDone(); },
  });
  return {
    name,
    latencies: [],
    seconds: 0,
    cpuMicros: 0,
    call: () => client.call({ topic }, 'echo', PAYLOAD, { timeoutMs: 10_000 }),
    casts: async () => {
      handled = 0;
      castTarget = CASTS;
      const done = new Promise<void>((r) => { castsDone = r; });
      const t0 = performance.now();
      const sent: Array<Promise<void>> = [];
      for (let i = 0; i < CASTS; i++) sent.push(client.cast({ topic }, 'count', { n: i }));
      await Promise.all(sent);
      await bounded(done, `${name}: casts`);
      return CASTS / ((performance.now() - t0) / 1000);
    },
    close: async () => { await client.close(); await server.close(); },
  };
}

async function measureBlock(bench: CallBench, calls: number): Promise<void> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await bench.call();
    bench.latencies.push(performance.now() - t0);
  }
  bench.seconds += (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  bench.cpuMicros += used.user + used.system;
}

/** Bounded: a bench that loses messages must fail, not hang. */
function bounded<T>(promise: Promise<T>, what: string, ms = 120_000): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms); });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * p) - 1))]!;
}

async function cleanup(): Promise<void> {
  const conn = await amqp.connect(URL);
  const ch = await conn.createChannel();
  for (const exchange of ['nubo_bench_direct', 'nubo_bench_queue']) await ch.deleteExchange(exchange);
  for (const topic of [`bench_direct_${run}`, `bench_queue_${run}`]) {
    await ch.deleteQueue(topic);
    await ch.deleteExchange(`${topic}_fanout`);
  }
  await conn.close();
}

const amqpOptions = (exchange: string, replyTo: 'direct' | 'queue') => ({ url: URL, exchange, replyTo, logger: silentLogger });
const memory = new MemoryTransport({ logger: silentLogger });
const benches = [
  await rawAmqplib(),
  await overTransport('AmqpTransport, direct reply-to', `bench_direct_${run}`,
    new AmqpTransport(amqpOptions('nubo_bench_direct', 'direct')), new AmqpTransport(amqpOptions('nubo_bench_direct', 'direct'))),
  await overTransport('AmqpTransport, reply queue', `bench_queue_${run}`,
    new AmqpTransport(amqpOptions('nubo_bench_queue', 'queue')), new AmqpTransport(amqpOptions('nubo_bench_queue', 'queue'))),
  await overTransport('MemoryTransport (in-process)', `bench_memory_${run}`, memory, memory),
];

try {
  for (const bench of benches) for (let i = 0; i < WARMUP; i++) await bench.call();
  for (let block = 0; block < BLOCKS; block++) for (const bench of benches) await measureBlock(bench, CALLS_PER_BLOCK);
  const castRates = new Map<CallBench, number>();
  for (const bench of benches) castRates.set(bench, await bench.casts!());

  const raw = benches[0]!;
  const rawSorted = [...raw.latencies].sort((a, b) => a - b);
  const rows = benches.map((bench) => {
    const sorted = [...bench.latencies].sort((a, b) => a - b);
    const p50 = percentile(sorted, 0.5);
    const p99 = percentile(sorted, 0.99);
    return {
      '': bench.name,
      'call p50 ms': p50.toFixed(3),
      'call p99 ms': p99.toFixed(3),
      'p50 vs raw': bench === raw ? '1.00×' : bench.name.startsWith('Memory') ? '—' : `${(p50 / percentile(rawSorted, 0.5)).toFixed(2)}×`,
      'calls/s': (bench.latencies.length / bench.seconds).toFixed(0),
      'node CPU µs/call': (bench.cpuMicros / bench.latencies.length).toFixed(0),
      'casts/s handled': (castRates.get(bench) ?? 0).toFixed(0),
    };
  });
  console.log(`rpc over RabbitMQ (${URL.replace(/\/\/[^@]*@/, '//')}), ${BLOCKS * CALLS_PER_BLOCK} sequential calls each, ` +
    `${CASTS} casts (AmqpTransport: persistent, publisher-confirmed; raw: neither)`);
  console.table(rows);
} finally {
  for (const bench of benches) await bench.close().catch(() => undefined);
  await cleanup().catch(() => undefined);
}
