// The Compute API over HTTP: boots/s to ACTIVE with many concurrent HTTP clients (fake driver on
// 10 hosts, SQLite file), side by side with the same boots through the in-process API service;
// then GET /servers/detail latency (p50/p99) with 1,000 servers. Bounded by BENCH_DEADLINE_S.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { filter } from 'rxjs';
import { Cloud, FakeDriver, silentLogger } from '@nubo/core';
import { startOpenStackApi } from '@nubo/api-openstack';

const BOOTS = Number(process.env.BOOTS ?? 300);
const CLIENTS = Number(process.env.CLIENTS ?? 32);
const LIST_SERVERS = 1000;
const SAMPLES = Number(process.env.SAMPLES ?? 60);
const deadline = Date.now() + Number(process.env.BENCH_DEADLINE_S ?? 240) * 1000;
const rows: [string, string][] = [];
const print = () => {
  const w = Math.max(...rows.map(([k]) => k.length));
  console.log(rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n'));
};
const guard = setTimeout(() => { rows.push(['stopped at deadline', 'yes']); print(); process.exit(0); }, deadline - Date.now());
guard.unref();

const dir = mkdtempSync(join(tmpdir(), 'nubo-bench-api-'));
const cloud = await Cloud.start({
  database: { url: `sqlite:${join(dir, 'nubo.sqlite')}` },
  imageDataDir: join(dir, 'images'),
  logger: silentLogger,
  computeHosts: Array.from({ length: 10 }, (_, i) => ({ host: `compute${i + 1}`, driver: new FakeDriver({ capacity: { vcpus: 512, memoryMb: 1024 * 1024, localGb: 100_000 } }) })),
  bootstrap: { adminUser: 'admin', adminPassword: 'bench', adminProject: 'admin' },
  identity: { passwordHashCost: 10 },
  quotaDefaults: { instances: -1, cores: -1, ram: -1 },
  network: { fixedRange: '10.0.0.0/8', networkPrefix: 16 },
});
const api = await startOpenStackApi(cloud, { ports: { identity: 0, compute: 0, image: 0 }, logger: silentLogger });
const compute = `${api.endpoints.compute}/v2.1`;
const issued = await cloud.identity.authenticatePassword({ user: { name: 'admin', domainId: 'default' }, password: 'bench' }, { project: { name: 'admin', domainId: 'default' } });
const token = issued.token;
const ctx = await cloud.authenticate(token);
const image = await cloud.images.create(ctx, { name: 'bench', diskFormat: 'raw', containerFormat: 'bare', visibility: 'public' });
await cloud.images.upload(ctx, image.id, (async function* () { yield new Uint8Array(64 * 1024); })());

const active = new Set<string>();
let failed = 0;
let waiters: (() => void)[] = [];
cloud.notifications.events.pipe(filter((n) => n.eventType === 'instance.create.end' || n.eventType === 'instance.create.error')).subscribe((n) => {
  if (n.eventType === 'instance.create.end') active.add(String(n.payload.instance_id));
  else failed++;
  for (const w of waiters) w();
});
const untilActive = (ids: string[]) => new Promise<void>((resolve) => {
  const check = () => { if (ids.every((id) => active.has(id)) || Date.now() > deadline) { waiters = waiters.filter((w) => w !== check); resolve(); } };
  waiters.push(check);
  check();
});

const json = { 'content-type': 'application/json', 'x-auth-token': token };
async function bootOverHttp(name: string, count = 1): Promise<string[]> {
  const res = await fetch(`${compute}/servers`, { method: 'POST', headers: json, body: JSON.stringify({ server: { name, flavorRef: '1', imageRef: image.id, min_count: count, max_count: count } }) });
  if (res.status !== 202) throw new Error(`create failed: ${res.status} ${await res.text()}`);
  const id = ((await res.json()) as { server: { id: string } }).server.id;
  if (count === 1) return [id];
  const list = await fetch(`${compute}/servers?name=^${name}-&limit=${count}`, { headers: json });
  return ((await list.json()) as { servers: { id: string }[] }).servers.map((s) => s.id);
}

async function run(label: string, boot: (n: number) => Promise<string[]>): Promise<void> {
  let next = 0;
  const ids: string[] = [];
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, async () => {
    while (next < BOOTS && Date.now() < deadline) ids.push(...(await boot(next++)));
  }));
  await untilActive(ids);
  const s = (performance.now() - t0) / 1000;
  rows.push([`${label}: ${ids.length} boots, ${CLIENTS} clients`, `${(ids.length / s).toFixed(1)} boots/s (${s.toFixed(2)} s)`]);
}

await run('in-process ComputeApiService', async (n) => (await cloud.computeApi.createServers({ ...ctx, requestId: `req-b-${n}` }, { name: `ip${n}`, flavorRef: '1', imageRef: image.id })).servers.map((v) => v.instance.uuid));
await run('HTTP POST /servers', (n) => bootOverHttp(`h${n}`));
rows.push(['boot failures', String(failed)]);

// Fill up to 1,000 servers, in batches of 50 (max_count), then time the detail listing.
let have = (await cloud.computeApi.listServers(ctx, { limit: LIST_SERVERS })).length;
for (let batch = 0; have < LIST_SERVERS && Date.now() < deadline; batch++) {
  const n = Math.min(50, LIST_SERVERS - have);
  await untilActive(await bootOverHttp(`fill${batch}`, n));
  have += n;
}
async function latency(path: string): Promise<void> {
  const times: number[] = [];
  let count = 0;
  for (let i = 0; i < SAMPLES && Date.now() < deadline; i++) {
    const t0 = performance.now();
    const res = await fetch(`${compute}${path}`, { headers: json });
    const body = (await res.json()) as { servers: unknown[] };
    times.push(performance.now() - t0);
    count = body.servers.length;
  }
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
  rows.push([`GET ${path} (${count} servers, ${times.length} samples)`, `p50 ${q(0.5)} ms, p99 ${q(0.99)} ms`]);
}
await latency('/servers/detail');
await latency('/servers/detail?limit=100');
await latency('/servers');

print();
await api.close();
await cloud.stop();
rmSync(dir, { recursive: true, force: true });
process.exit(0);
