// Boots 1,000 servers to ACTIVE in one process (SQLite file, in-process transport, fake
// driver on 10 hosts) and prints boots/s, p50/p99 boot latency and peak RSS. A server counts
// as booted when its `instance.create.end` notification arrives.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter } from 'rxjs';
import { Cloud, FakeDriver, silentLogger } from '@nubo/core';

const TOTAL = Number(process.env.BOOTS ?? 1000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 50);
const HOSTS = 10;

const dir = mkdtempSync(join(tmpdir(), 'nubo-bench-boot-'));
let peakRss = process.memoryUsage().rss;
const rssTimer = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 50);

const cloud = await Cloud.start({
  database: { url: `sqlite:${join(dir, 'nubo.sqlite')}` },
  imageDataDir: join(dir, 'images'),
  logger: silentLogger,
  computeHosts: Array.from({ length: HOSTS }, (_, i) => ({ host: `compute${i + 1}`, driver: new FakeDriver() })),
  bootstrap: { adminUser: 'admin', adminPassword: 'bench', adminProject: 'admin' },
  identity: { passwordHashCost: 10 },
  quotaDefaults: { instances: -1, cores: -1, ram: -1 },
  network: { fixedRange: '10.0.0.0/8', networkPrefix: 16 },
});
const token = await cloud.identity.authenticatePassword({ user: { name: 'admin', domainId: 'default' }, password: 'bench' }, { project: { name: 'admin', domainId: 'default' } });
const ctx = await cloud.authenticate(token.token);
const image = await cloud.images.create(ctx, { name: 'bench', diskFormat: 'raw', containerFormat: 'bare', visibility: 'public' });
await cloud.images.upload(ctx, image.id, (async function* () { yield new Uint8Array(64 * 1024); })());

const startedAt = new Map<string, number>();
const latencies: number[] = [];
let errors = 0;
let resolveAll!: () => void;
const allDone = new Promise<void>((r) => { resolveAll = r; });
const settle = () => { if (latencies.length + errors === TOTAL) resolveAll(); };
cloud.notifications.events.pipe(filter((n) => n.eventType === 'instance.create.end' || n.eventType === 'instance.create.error')).subscribe((n) => {
  const uuid = String(n.payload.instance_id);
  const t0 = startedAt.get(uuid);
  if (t0 === undefined) return;
  if (n.eventType === 'instance.create.end') latencies.push(performance.now() - t0);
  else { errors++; if (errors <= 3) console.error('boot error:', n.payload.fault); }
  settle();
});

const t0 = performance.now();
let next = 0;
async function client(): Promise<void> {
  while (next < TOTAL) {
    const n = next++;
    const began = performance.now();
    const { servers } = await cloud.computeApi.createServers({ ...ctx, requestId: `req-bench-${n}` }, { name: `b${n}`, flavorRef: '1', imageRef: image.id });
    startedAt.set(servers[0]!.instance.uuid, began);
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, client));
await allDone;
const elapsed = (performance.now() - t0) / 1000;
clearInterval(rssTimer);
peakRss = Math.max(peakRss, process.memoryUsage().rss);

latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!;
console.log(`boot ${TOTAL} servers to ACTIVE — fake driver, ${HOSTS} hosts, SQLite, in-process transport, ${CONCURRENCY} concurrent callers`);
console.table([{
  servers: TOTAL,
  active: latencies.length,
  errors,
  'boots/s': +(latencies.length / elapsed).toFixed(1),
  'p50 ms': +pct(50).toFixed(1),
  'p99 ms': +pct(99).toFixed(1),
  'peak RSS MB': +(peakRss / 2 ** 20).toFixed(0),
  'wall s': +elapsed.toFixed(2),
}]);
await cloud.stop();
rmSync(dir, { recursive: true, force: true });
