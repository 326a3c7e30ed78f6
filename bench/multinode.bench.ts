// Boots servers to ACTIVE on a multi-node cloud of separate processes — 2 conductors,
// 1 scheduler and 20 fake-driver computes, each a `nubo` process — over RabbitMQ, on a
// scratch PostgreSQL database, requests made by an API worker in this process. Prints
// boots/s and time-to-ACTIVE; bounded (BOOTS, and at most MAX_SECONDS of booting).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cloud, InstanceSchema, silentLogger } from '@nubo/core';
import { createTestDatabase } from '@nubo/core/testing';
import { AmqpTransport } from '@nubo/transport-amqp';
// The launcher and the test vhost helper of @nubo/cloud (not a dependency of the bench package).
import { spawnNubo, type NuboChild, type NuboConfig } from '../packages/cloud/src/index.js';
import { createTestVhost } from '../packages/cloud/test/support/rabbitmq-vhost.js';
import { cpuDelta, cpuSecondsByGroup, type CpuGroup } from './support/process-cpu.js';

const BOOTS = Number(process.env.BOOTS ?? 1000);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
const COMPUTES = Number(process.env.COMPUTES ?? 20);
const CONDUCTORS = Number(process.env.CONDUCTORS ?? 2);
const MAX_SECONDS = Number(process.env.MAX_SECONDS ?? 120);
/** Servers per API request of each scenario run, e.g. `PER_REQUEST=1` for one scenario only. */
const PER_REQUEST = (process.env.PER_REQUEST ?? '1,10').split(',').map(Number);
/** Database connections per process. */
const POOL_SIZE = Number(process.env.POOL_SIZE ?? 8);

const [db, vhost] = await Promise.all([createTestDatabase('postgres'), createTestVhost()]);
const dir = mkdtempSync(join(tmpdir(), 'nubo-bench-mn-'));
const network = { fixedRange: '10.0.0.0/8', networkPrefix: 16 };
const config: NuboConfig = {
  database: { url: db.url, poolSize: POOL_SIZE },
  amqp: { url: vhost.url, exchange: 'nubo', prefetch: 64 },
  imageDataDir: join(dir, 'images'),
  logLevel: 'warn',
  api: { host: '127.0.0.1', ports: { identity: 0, compute: 0, image: 0 } },
  timings: { reportIntervalSec: 10, serviceDownTimeSec: 60, resourceUpdateIntervalSec: 60 },
  staleBuildSweepSec: 10,
  network,
  compute: { driver: 'fake' },
};
const configPath = join(dir, 'nubo.json');
writeFileSync(configPath, JSON.stringify(config));

const children: NuboChild[] = [];
// Everything the cloud runs on: the nubo processes, this one (the API), PostgreSQL and RabbitMQ.
const cpuGroups: CpuGroup[] = [
  ...['conductor', 'scheduler', 'compute'].map((s) => ({ name: s, matches: (c: string) => c.includes(`nubo.ts ${s} `) && c.includes(dir) })),
  { name: 'api', matches: (c: string) => c.includes('multinode.bench') && !c.includes('nubo.ts') },
  { name: 'postgres', matches: (c: string) => c.startsWith('postgres') },
  { name: 'rabbitmq', matches: (c: string) => c.includes('beam.smp') },
];
const transport = new AmqpTransport({ url: vhost.url, exchange: 'nubo', logger: silentLogger, connectionName: 'nubo-bench-api' });
let cloud: Cloud | null = null;
try {
  const tStart = performance.now();
  cloud = await Cloud.start({
    database: { url: db.url, poolSize: POOL_SIZE }, transport, services: { api: true, scheduler: false, conductor: false },
    hostName: 'bench-api', logger: silentLogger, imageDataDir: config.imageDataDir, network,
    bootstrap: { adminUser: 'admin', adminPassword: 'bench', adminProject: 'admin' }, identity: { passwordHashCost: 4 },
    quotaDefaults: { instances: -1, cores: -1, ram: -1 },
  });
  const spawn = (name: string, args: string[]) => { const c = spawnNubo([...args, '--config', configPath], { name }); children.push(c); return c; };
  for (let i = 1; i <= CONDUCTORS; i++) spawn(`conductor${i}`, ['conductor', '--host', `conductor${i}`]);
  spawn('scheduler1', ['scheduler', '--host', 'scheduler1']);
  for (let i = 1; i <= COMPUTES; i++) spawn(`compute${i}`, ['compute', '--host', `compute${i}`]);
  await Promise.all(children.map((c) => c.ready));
  const startupSec = (performance.now() - tStart) / 1000;

  const token = await cloud.identity.authenticatePassword({ user: { name: 'admin', domainId: 'default' }, password: 'bench' }, { project: { name: 'admin', domainId: 'default' } });
  const ctx = await cloud.authenticate(token.token);
  const image = await cloud.images.create(ctx, { name: 'bench', diskFormat: 'raw', containerFormat: 'bare', visibility: 'public' });
  await cloud.images.upload(ctx, image.id, (async function* () { yield new Uint8Array(64 * 1024); })());
  const api = cloud.computeApi;
  const instances = cloud.database.repo(InstanceSchema);

  /** Boots `total` servers, `perRequest` per API request, CONCURRENCY requests at a time. */
  async function run(label: string, total: number, perRequest: number) {
    const uuids: string[] = [];
    const cpu0 = cpuSecondsByGroup(cpuGroups);
    const t0 = performance.now();
    const deadline = Date.now() + MAX_SECONDS * 1000;
    let next = 0;
    const client = async () => {
      while (next < total && Date.now() < deadline) {
        const n = Math.min(perRequest, total - next);
        next += n;
        const { servers } = await api.createServers(ctx, { name: label, flavorRef: '1', imageRef: image.id, minCount: n, maxCount: n });
        uuids.push(...servers.map((s) => s.instance.uuid));
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
    const acceptedSec = (performance.now() - t0) / 1000;
    let rows: Array<{ vmState: string; createdAt: Date; launchedAt: Date | null }> = [];
    while (Date.now() < deadline + 60_000) {
      const mine = new Set(uuids);
      rows = (await instances.find({ select: { uuid: true, vmState: true, taskState: true, host: true, createdAt: true, launchedAt: true } })).filter((r) => mine.has(r.uuid));
      if (rows.length === uuids.length && rows.every((r) => r.vmState !== 'building')) break;
      // TRACE=1: where the instances are while the cloud works through them.
      if (process.env.TRACE) { const h: Record<string, number> = {}; for (const r of rows as any[]) { const k = r.taskState === "scheduling" ? (r.host ? "sched-placed" : "sched-unplaced") : String(r.taskState); h[k] = (h[k] ?? 0) + 1; } console.log(((performance.now() - t0) / 1000).toFixed(1), JSON.stringify(h)); }
      await new Promise((r) => setTimeout(r, 100));
    }
    const sec = (performance.now() - t0) / 1000;
    const cpu = cpuDelta(cpu0, cpuSecondsByGroup(cpuGroups));
    const active = rows.filter((r) => r.vmState === 'active');
    const lat = active.map((r) => r.launchedAt!.getTime() - r.createdAt.getTime()).sort((a, b) => a - b);
    const pct = (p: number) => lat.length ? lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))]! : NaN;
    return { label, servers: uuids.length, active: active.length, other: rows.length - active.length, acceptedSec, sec, bootsPerSec: active.length / sec, p50: pct(50), p99: pct(99), cpu };
  }

  await run('warmup', COMPUTES * 2, 1);
  const results = [];
  for (const n of PER_REQUEST) results.push(await run(n === 1 ? 'one-per-request' : n === 10 ? 'ten-per-request' : `${n}-per-request`, BOOTS, n));
  console.log(`multi-node boots: ${CONDUCTORS} conductors, 1 scheduler, ${COMPUTES} fake computes (each a process), PostgreSQL, RabbitMQ; ${CONCURRENCY} concurrent API requests; start-up ${startupSec.toFixed(1)} s`);
  console.table(results.map((r) => ({
    scenario: r.label, servers: r.servers, ACTIVE: r.active, 'not ACTIVE': r.other,
    'accepted in s': r.acceptedSec.toFixed(1), 'all ACTIVE in s': r.sec.toFixed(1), 'boots/s': r.bootsPerSec.toFixed(1),
    'p50 to ACTIVE ms': Math.round(r.p50), 'p99 to ACTIVE ms': Math.round(r.p99),
    'CPU ms per boot': Math.round((1000 * Object.values(r.cpu).reduce((a, b) => a + b, 0)) / Math.max(1, r.active)),
  })));
  // Where the CPU went: a load-independent cost, and the ceiling it puts on boots/s on 2 cores.
  console.table(results.map((r) => ({
    scenario: r.label,
    ...Object.fromEntries(Object.entries(r.cpu).map(([k, v]) => [`${k} ms/boot`, ((1000 * v) / Math.max(1, r.active)).toFixed(1)])),
  })));
} finally {
  await Promise.all(children.filter((c) => c.options.name.startsWith('compute') || c.options.name.startsWith('scheduler')).map((c) => c.kill('SIGTERM')));
  await Promise.all(children.map((c) => c.kill('SIGTERM')));
  await cloud?.stop().catch(() => undefined);
  await transport.close().catch(() => undefined);
  await db.drop().catch(() => undefined);
  await vhost.drop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
