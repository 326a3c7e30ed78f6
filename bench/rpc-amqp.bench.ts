// RPC over RabbitMQ: AmqpTransport's `call` round trip next to a raw amqplib request/reply
// (the floor, as in /work/shared/anchors/amqp_raw_bench.mjs) in the same run, casts/s, and the
// in-process MemoryTransport for reference. Sequential calls (one caller, one small payload),
// each measured with caller and server on one connection (as the anchor does) and on two (as
// two processes would be); then CONCURRENT callers at once on two connections. Configurations
// alternate in small blocks so that load from elsewhere on the machine hits them alike, and
// each block's p50 is also divided by its raw baseline's p50 of the same round (the median of
// those paired ratios is steadier than the ratio of pooled p50s when the machine is loaded).
// The load average is printed before and after: figures from a busy machine say so.
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import amqp from 'amqplib';
import { MemoryTransport, silentLogger, type Transport } from '@nubo/core';
import { AmqpTransport } from '@nubo/transport-amqp';

const URL = process.env.NUBO_BENCH_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const BLOCKS = 20;
const CALLS_PER_BLOCK = 50;
const WARMUP = 100;
const CASTS = 10_000;
const CONCURRENT = 16;
const CONCURRENT_BLOCKS = 10;
const CONCURRENT_CALLS_PER_CALLER = 50;
const run = Math.random().toString(36).slice(2, 8);
const PAYLOAD = { text: 'x'.repeat(64) };

interface CallBench {
  name: string;
  /** The raw configuration this one is compared with. */
  baseline?: CallBench;
  call(): Promise<unknown>;
  latencies: number[];
  /** p50 of each measured block, in round order (paired with the baseline's block of the same round). */
  blockP50s: number[];
  seconds: number;
  /** Process CPU (caller and server together: both live here) spent in the measured calls. */
  cpuMicros: number;
  casts?: () => Promise<number>;
  close(): Promise<void>;
}

function bench(name: string, call: () => Promise<unknown>, close: () => Promise<void>): CallBench {
  return { name, call, close, latencies: [], blockP50s: [], seconds: 0, cpuMicros: 0 };
}

/** Raw amqplib: a queue, an exclusive reply queue, correlation ids. What any RPC layer adds to. */
async function rawAmqplib(connections: 1 | 2, novaLayout = false): Promise<CallBench> {
  const serverConn = await amqp.connect(URL, { noDelay: true });
  const clientConn = connections === 1 ? serverConn : await amqp.connect(URL, { noDelay: true });
  const srv = await serverConn.createChannel();
  const cli = await clientConn.createChannel();
  const queue = `raw_bench_${connections}${novaLayout ? '_layout' : ''}_${run}`;
  // Nova's layout, as AmqpTransport declares it: a durable queue bound to a topic exchange,
  // a per-call expiration and a prefetch limit. The broker's share of what the layout costs.
  const exchange = novaLayout ? exchanges.rawLayout : '';
  await srv.assertQueue(queue, { durable: novaLayout, autoDelete: !novaLayout });
  if (novaLayout) {
    await srv.assertExchange(exchange, 'topic', { durable: true, autoDelete: false });
    await srv.bindQueue(queue, exchange, queue);
    await srv.prefetch(64);
  }
  let casts = 0;
  let castTarget = 0;
  let castsDone: () => void = () => undefined;
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
  const b = bench(`raw amqplib, ${connections} connection${connections === 1 ? '' : 's'}${novaLayout ? ', Nova layout' : ''}`,
    () => new Promise<void>((resolve) => {
      const id = String(++seq);
      waiting.set(id, resolve);
      if (novaLayout) cli.publish(exchange, queue, body, { replyTo: replyQ, correlationId: id, expiration: '10000' });
      else cli.sendToQueue(queue, body, { replyTo: replyQ, correlationId: id });
    }),
    async () => {
      if (novaLayout) await srv.deleteQueue(queue);
      await serverConn.close();
      if (clientConn !== serverConn) await clientConn.close();
    });
  b.casts = async () => {
    casts = 0;
    castTarget = CASTS;
    const done = new Promise<void>((r) => { castsDone = r; });
    const t0 = performance.now();
    for (let i = 0; i < CASTS; i++) cli.publish(exchange, queue, Buffer.from(JSON.stringify({ n: i })));
    await bounded(done, 'raw casts');
    return CASTS / ((performance.now() - t0) / 1000);
  };
  return b;
}

/** Raw amqplib casts as AmqpTransport sends them: durable queue, persistent, publisher-confirmed. */
async function rawDurableCasts(): Promise<number> {
  const serverConn = await amqp.connect(URL, { noDelay: true });
  const clientConn = await amqp.connect(URL, { noDelay: true });
  try {
    const srv = await serverConn.createChannel();
    const cli = await clientConn.createConfirmChannel();
    const queue = `raw_bench_durable_${run}`;
    await srv.assertQueue(queue, { durable: true });
    await srv.prefetch(64);
    let handled = 0;
    let allHandled: () => void = () => undefined;
    const done = new Promise<void>((r) => { allHandled = r; });
    await srv.consume(queue, (m) => {
      if (!m) return; // cancelled: the queue is deleted at the end
      srv.ack(m);
      if (++handled === CASTS) allHandled();
    });
    const t0 = performance.now();
    const confirmed: Array<Promise<void>> = [];
    for (let i = 0; i < CASTS; i++) {
      confirmed.push(new Promise<void>((resolve, reject) =>
        cli.sendToQueue(queue, Buffer.from(JSON.stringify({ n: i })), { persistent: true }, (err) => (err ? reject(err) : resolve()))));
    }
    await Promise.all(confirmed);
    await bounded(done, 'raw durable casts');
    const rate = CASTS / ((performance.now() - t0) / 1000);
    await srv.deleteQueue(queue);
    return rate;
  } finally {
    await clientConn.close();
    await serverConn.close();
  }
}

/** A Transport under test, `server` serving and `client` calling (the same one, or two). */
async function overTransport(name: string, topic: string, server: Transport, client: Transport): Promise<CallBench> {
  let handled = 0;
  let castTarget = 0;
  let castsDone: () => void = () => undefined;
  await server.serve({ topic }, {
    async echo(_ctx, args) { return args; },
    async count() { if (++handled === castTarget) castsDone(); },
  });
  const b = bench(name, () => client.call({ topic }, 'echo', PAYLOAD, { timeoutMs: 10_000 }), async () => {
    await client.close();
    await server.close();
  });
  b.casts = async () => {
    handled = 0;
    castTarget = CASTS;
    const done = new Promise<void>((r) => { castsDone = r; });
    const t0 = performance.now();
    const sent: Array<Promise<void>> = [];
    for (let i = 0; i < CASTS; i++) sent.push(client.cast({ topic }, 'count', { n: i }));
    await Promise.all(sent);
    await bounded(done, `${name}: casts`);
    return CASTS / ((performance.now() - t0) / 1000);
  };
  return b;
}

/** `callers` callers at once, each making `calls` calls one after another. */
async function measureBlock(b: CallBench, calls: number, callers = 1): Promise<void> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const block: number[] = [];
  await Promise.all(Array.from({ length: callers }, async () => {
    for (let i = 0; i < calls; i++) {
      const t0 = performance.now();
      await b.call();
      block.push(performance.now() - t0);
    }
  }));
  b.seconds += (performance.now() - t) / 1000;
  const used = process.cpuUsage(cpu);
  b.cpuMicros += used.user + used.system;
  b.latencies.push(...block);
  b.blockP50s.push(percentile(block.sort((x, y) => x - y), 0.5));
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

const topics = { one: `bench_one_${run}`, direct: `bench_direct_${run}`, queue: `bench_queue_${run}` };
const exchanges = { one: 'nubo_bench_one', direct: 'nubo_bench_direct', queue: 'nubo_bench_queue', rawLayout: 'nubo_bench_raw_layout' };

async function cleanup(): Promise<void> {
  const conn = await amqp.connect(URL);
  const ch = await conn.createChannel();
  for (const exchange of Object.values(exchanges)) await ch.deleteExchange(exchange);
  for (const topic of Object.values(topics)) {
    await ch.deleteQueue(topic);
    await ch.deleteExchange(`${topic}_fanout`);
  }
  await conn.close();
}

const amqpTransport = (key: keyof typeof exchanges, replyTo: 'direct' | 'queue') =>
  new AmqpTransport({ url: URL, exchange: exchanges[key], replyTo, logger: silentLogger });
const memory = new MemoryTransport({ logger: silentLogger });
const oneTransport = amqpTransport('one', 'queue');
const raw1 = await rawAmqplib(1);
const raw2 = await rawAmqplib(2);
const benches: CallBench[] = [
  raw1,
  raw2,
  { ...await rawAmqplib(2, true), baseline: raw2 },
  { ...await overTransport('AmqpTransport, 1 connection, reply queue', topics.one, oneTransport, oneTransport), baseline: raw1 },
  { ...await overTransport('AmqpTransport, 2 connections, direct reply-to', topics.direct,
    amqpTransport('direct', 'direct'), amqpTransport('direct', 'direct')), baseline: raw2 },
  { ...await overTransport('AmqpTransport, 2 connections, reply queue', topics.queue,
    amqpTransport('queue', 'queue'), amqpTransport('queue', 'queue')), baseline: raw2 },
  await overTransport('MemoryTransport (in-process)', `bench_memory_${run}`, memory, memory),
];
/** The same connections again, with CONCURRENT callers at once (fresh figures, same baselines' shape). */
const concurrent = (b: CallBench, baseline?: CallBench): CallBench =>
  ({ ...b, name: b.name, latencies: [], blockP50s: [], seconds: 0, cpuMicros: 0, baseline });

const median = (xs: number[]): number => percentile([...xs].sort((x, y) => x - y), 0.5);
const p = (b: CallBench, q: number) => percentile([...b.latencies].sort((x, y) => x - y), q);
function table(list: CallBench[], castRates?: Map<string, number>) {
  return list.map((b) => ({
    '': b.name,
    'call p50 ms': p(b, 0.5).toFixed(3),
    'call p99 ms': p(b, 0.99).toFixed(3),
    'p50 / raw': b.baseline ? `${(p(b, 0.5) / p(b.baseline, 0.5)).toFixed(2)}×` : '',
    'paired p50 / raw': b.baseline ? `${median(b.blockP50s.map((v, i) => v / b.baseline!.blockP50s[i]!)).toFixed(2)}×` : '',
    'p99 / raw': b.baseline ? `${(p(b, 0.99) / p(b.baseline, 0.99)).toFixed(2)}×` : '',
    'calls/s': (b.latencies.length / b.seconds).toFixed(0),
    'node CPU µs/call': (b.cpuMicros / b.latencies.length).toFixed(0),
    ...(castRates ? { 'casts/s handled': (castRates.get(b.name) ?? 0).toFixed(0) } : {}),
  }));
}
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

try {
  console.log(`load average before: ${load()} (${cpus().length} cores)`);
  for (const b of benches) for (let i = 0; i < WARMUP; i++) await b.call();
  for (let block = 0; block < BLOCKS; block++) for (const b of benches) await measureBlock(b, CALLS_PER_BLOCK);
  const castRates = new Map<string, number>();
  for (const b of benches) castRates.set(b.name, await b.casts!());

  const rawC = concurrent(raw2);
  const parallel = [rawC, ...benches.slice(2).map((b) => concurrent(b, b.baseline === raw2 ? rawC : undefined))]
    .filter((b) => !b.name.includes('1 connection'));
  for (let block = 0; block < CONCURRENT_BLOCKS; block++) {
    for (const b of parallel) await measureBlock(b, CONCURRENT_CALLS_PER_CALLER, CONCURRENT);
  }

  console.log(`rpc over RabbitMQ (${URL.replace(/\/\/[^@]*@/, '//')}): ${BLOCKS * CALLS_PER_BLOCK} sequential calls per row, ` +
    `interleaved in blocks of ${CALLS_PER_BLOCK}; ${CASTS} casts per row (AmqpTransport: persistent, publisher-confirmed; raw: neither).`);
  console.log('Each AmqpTransport row is compared with the raw row of the same connection count ("Nova layout": durable queue on a ' +
    'topic exchange, per-call expiration, prefetch 64, as AmqpTransport declares them; compared with plain raw).');
  console.table(table(benches, castRates));
  console.log(`${CONCURRENT} concurrent callers, each ${CONCURRENT_BLOCKS * CONCURRENT_CALLS_PER_CALLER} calls in blocks of ` +
    `${CONCURRENT_CALLS_PER_CALLER}, 2 connections (caller's and server's):`);
  console.table(table(parallel));
  console.log(`raw amqplib casts as AmqpTransport sends them (durable queue, persistent, confirmed, prefetch 64): ` +
    `${(await rawDurableCasts()).toFixed(0)} casts/s handled`);
  console.log(`load average after: ${load()}`);
} finally {
  for (const b of benches) await b.close().catch(() => undefined);
  await cleanup().catch(() => undefined);
}
