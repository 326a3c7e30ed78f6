// Nubo's scheduler (Nova's default filters + all ten weighers) against real Nova's pipeline, side
// by side, at 100 / 1,000 / 10,000 hosts. Nova runs through /work/shared/anchors/
// nova_scheduler_bench.py (Debian's python3-nova, installed by scripts/setup/scheduler.sh); Nubo
// decides on the very same fleet (dumped by the same script's generator) and the bench checks
// that both choose the same host. Without python3-nova, Nubo runs alone on its own fleet.
// `SCHED_SIZES=100,1000 pnpm bench scheduler` to change the sizes.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { HostState, RequestSpec } from '@nubo/core';
import {
  createFleetHostSelector,
  createHostSelector,
  fixtureHostStates,
  fixtureRequestSpec,
  NOVA_ALL_WEIGHERS,
  NOVA_DEFAULT_FILTERS,
  type NovaFixture,
  type NovaFixtureRequest,
} from '@nubo/scheduler-filters';

const ANCHORS = '/work/shared/anchors';
const PY = '/usr/bin/python3';
const SIZES = (process.env.SCHED_SIZES ?? '100,1000,10000').split(',').map(Number);

/** Real Nova's decisions/s recorded in the anchors' README (2 cores, quiet machine). */
const README_NOVA: Record<number, number> = { 100: 240, 1000: 22.3, 10000: 1.46 };

const REQUEST: NovaFixtureRequest = {
  project_id: 'tenant-a',
  flavor: { name: 'm1.small', memory_mb: 2048, root_gb: 20, ephemeral_gb: 0, swap: 0, vcpus: 1, extra_specs: {} },
  image: { properties: {} },
  availability_zone: null,
  scheduler_hints: {},
  instance_group: null,
};

interface NovaResult { hosts: number; runs: number; ms_per_decision: number; decisions_per_s: number; passed: number; chosen: string | null }

function novaAvailable(): boolean {
  if (!existsSync(PY)) return false;
  return spawnSync(PY, ['-c', 'import nova.scheduler.filters'], { stdio: 'ignore' }).status === 0;
}

/** The fleet Nova's bench builds for `n` hosts (seed 7), from the anchors' own generator. */
function novaFleet(n: number): Pick<NovaFixture, 'hosts' | 'aggregates'> {
  const code = [
    'import sys, json, random, logging',
    `sys.path.insert(0, ${JSON.stringify(ANCHORS)})`,
    'logging.disable(logging.CRITICAL)',
    'import nova_scheduler_bench as b',
    `n = ${n}`,
    'rng = random.Random(7)',
    'aggs = b.make_aggregates(rng, n)',
    'hosts = [b.host_dict(rng, i, aggs) for i in range(n)]',
    'json.dump({"aggregates": aggs, "hosts": hosts}, sys.stdout)',
  ].join('\n');
  const r = spawnSync(PY, ['-c', code], { encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`fleet dump failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Pick<NovaFixture, 'hosts' | 'aggregates'>;
}

/** Without Nova: a fleet of the same shape from a seeded generator of our own. */
function ownFleet(n: number): Pick<NovaFixture, 'hosts' | 'aggregates'> {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const hosts = Array.from({ length: n }, (_, i) => {
    const vcpus = pick([8, 16, 32, 64]);
    const ram = pick([16384, 32768, 65536, 131072]);
    const disk = pick([200, 500, 1000, 2000]);
    const used = Math.floor(rnd() * disk);
    const hv = pick(['qemu', 'kvm', 'xen', 'vmware']);
    return {
      host: `host${String(i).padStart(5, '0')}`, node: `node${String(i).padStart(5, '0')}`,
      total_usable_ram_mb: ram, free_ram_mb: ram - Math.floor(rnd() * (ram / 512)) * 512,
      total_usable_disk_gb: disk, disk_mb_used: used * 1024, free_disk_mb: (disk - used) * 1024,
      vcpus_total: vcpus, vcpus_used: Math.floor(rnd() * vcpus * 2),
      ram_allocation_ratio: 1.5, cpu_allocation_ratio: 16.0, disk_allocation_ratio: 1.0,
      num_instances: Math.floor(rnd() * 60), num_io_ops: Math.floor(rnd() * 12), failed_builds: pick([0, 0, 0, 0, 1, 3]),
      host_ip: `10.0.${(i >> 8) & 255}.${i & 255}`, hypervisor_type: hv, hypervisor_version: 7002000,
      supported_instances: [[pick(['x86_64', 'aarch64']), hv, 'hvm'] as [string, string, string]],
      stats: { cpu_vendor: pick(['Intel', 'AMD']) }, service: { disabled: rnd() < 0.05, forced_down: rnd() < 0.03 },
      aggregates: [], instances: [],
    };
  });
  return { hosts, aggregates: [] };
}

function runNova(): Map<number, NovaResult> {
  const r = spawnSync(PY, [`${ANCHORS}/nova_scheduler_bench.py`, 'bench', '--json', '--hosts', SIZES.join(',')], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`nova bench failed: ${r.stderr.slice(-500)}`);
  const parsed = JSON.parse(r.stdout.trim().split('\n').pop()!) as { results: NovaResult[] };
  return new Map(parsed.results.map((x) => [x.hosts, x]));
}

interface Timing { p50: number; p99: number; perS: number; chosen: string | undefined }

function time(decide: () => HostState | undefined, minRuns: number, budgetMs: number): Timing {
  for (let i = 0; i < Math.min(200, minRuns); i++) decide(); // warm-up: JIT, caches
  const samples: number[] = [];
  let chosen: string | undefined;
  const start = performance.now();
  while (samples.length < minRuns || performance.now() - start < budgetMs) {
    const t0 = performance.now();
    chosen = decide()?.host;
    samples.push(performance.now() - t0);
    if (samples.length >= 100_000) break;
  }
  samples.sort((a, b) => a - b);
  const p50 = samples[Math.floor(samples.length * 0.5)]!;
  return { p50, p99: samples[Math.min(samples.length - 1, Math.floor(samples.length * 0.99))]!, perS: 1000 / p50, chosen };
}

const withNova = novaAvailable();
console.log(`scheduler bench: filters=${NOVA_DEFAULT_FILTERS.join(',')} weighers=all ${NOVA_ALL_WEIGHERS.length}, one m1.small request`);
if (!withNova) console.log('python3-nova not installed (scripts/setup/scheduler.sh installs it): running Nubo alone on its own fleet, no ratio.');
let nova = new Map<number, NovaResult>();
if (withNova) {
  try {
    nova = runNova();
  } catch (e) {
    console.log(`real Nova could not run (${(e as Error).message}); Nubo alone.`);
  }
}

const config = { enabledFilters: [...NOVA_DEFAULT_FILTERS], weighers: [...NOVA_ALL_WEIGHERS] };
const rows: string[][] = [];
for (const n of SIZES) {
  const fleet = withNova ? novaFleet(n) : ownFleet(n);
  const hosts = fixtureHostStates({ ...fleet, config: {} as NovaFixture['config'], cases: [] });
  const spec: RequestSpec = fixtureRequestSpec(REQUEST);

  // cold: every decision filters and weighs the whole fleet (no reuse between requests)
  const cold = createFleetHostSelector(config, {}, { maxResults: 3, cachedShapes: 0 });
  for (const h of hosts) cold.fleet.upsert(h);
  const coldT = time(() => cold.selectFromFleet(spec)[0], 300, 1500);

  const plain = createHostSelector(config);
  const plainT = time(() => plain.select(spec, hosts)[0], 20, 800);

  // a burst of boots: every decision claims its host, the next one reuses the previous outcome
  // and re-weighs only what the claim changed
  const claiming = createFleetHostSelector(config, {}, { maxResults: 3 });
  for (const h of hosts) claiming.fleet.upsert(h);
  const first = claiming.selectFromFleet(spec)[0]?.host;
  let k = 0;
  const claimT = time(() => claiming.selectAndClaim({ ...spec, instanceUuid: `bench-${k++}` })[0], 500, 1500);

  const nv = nova.get(n);
  const base = README_NOVA[n];
  const same = nv ? (nv.chosen === coldT.chosen && nv.chosen === plainT.chosen && nv.chosen === first ? 'yes' : `NO (nova ${nv.chosen}, nubo ${coldT.chosen})`) : '-';
  rows.push([
    String(n),
    nv ? nv.ms_per_decision.toFixed(2) : '-',
    nv ? nv.decisions_per_s.toFixed(2) : '-',
    plainT.p50.toFixed(3),
    coldT.p50.toFixed(4),
    coldT.p99.toFixed(3),
    coldT.perS.toFixed(0),
    nv ? `${(coldT.perS / nv.decisions_per_s).toFixed(0)}x` : '-',
    base ? `${(coldT.perS / base).toFixed(0)}x` : '-',
    claimT.p50.toFixed(4),
    claimT.p99.toFixed(3),
    claimT.perS.toFixed(0),
    same,
  ]);
}

const head = ['hosts', 'nova ms', 'nova dec/s', 'plain ms', 'cold p50 ms', 'cold p99 ms', 'cold dec/s', 'ratio', 'ratio vs anchors', 'claims p50 ms', 'claims p99 ms', 'claims dec/s', 'same choice'];
const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
console.log(line(head));
for (const r of rows) console.log(line(r));
console.log('nova = real Nova in this run; plain = Nubo\'s object-per-host pipeline; cold = FleetHostSelector filtering and weighing');
console.log('the whole fleet every time; claims = a burst of boots, each claiming its host, decisions updated incrementally.');
console.log('ratio = cold decisions/s ÷ Nova decisions/s in this run; ratio vs anchors = ÷ the anchors\' recorded Nova (quiet machine).');
console.log('decisions/s = 1 / median decision time, as the anchors\' script computes it. same choice: Nova, plain and fleet pick the same host.');
