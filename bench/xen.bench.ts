// define + start + destroy (+ undefine) of the same Xen PV domain (the xen-host image's test
// guest: Debian's kernel + a busybox initramfs) on a running Xen host, two ways in the same run:
//   nubo  — Nubo's libvirt RPC client over xen+tcp, the Xen driver's domain XML, one typed call per step
//   virsh — one `virsh -c xen+tcp://…` process per step
// Rounds alternate so drift hits both alike. Booting a Xen host takes minutes under TCG, so
// this bench does not: with no host answering it prints "skipped" and exits 0. Start one with
// `shared/tools/xen-host/boot.sh /var/cache/nubo/xen-host start`.
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { sampleInstanceSpec } from '@nubo/core/testing';
import { domainCreate, domainDefineXml, domainDestroy, domainUndefine, LibvirtConnection, type RemoteDomain } from '@nubo/driver-libvirt';
import { buildXenDomainXml } from '../packages/driver-xen/src/index.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const URI = process.env.XEN_URI ?? `xen+tcp://127.0.0.1:${process.env.XEN_HOST_LIBVIRT_PORT ?? 16510}/system`;
const GUEST = '/var/lib/nubo-xen/guest';

let conn: LibvirtConnection;
try {
  conn = await LibvirtConnection.open(URI, { connectTimeoutMs: 3000 });
} catch {
  console.log(`skipped: Xen host not running (nothing answers at ${URI}; boot one with shared/tools/xen-host/boot.sh)`);
  process.exit(0);
}

const uuid = crypto.randomUUID();
const name = `nubo-bench-${process.pid}`;
const xml = buildXenDomainXml({
  name,
  spec: sampleInstanceSpec(uuid, { memoryMb: 128 }),
  boot: { kind: 'direct', kernel: `${GUEST}/vmlinuz`, ramdisk: `${GUEST}/initrd.img`, cmdline: 'console=hvc0 quiet' },
  disks: [],
  imageId: null,
  createdAt: new Date(),
});
const dir = mkdtempSync('/var/tmp/nubo-bench-xen-');
const xmlFile = join(dir, 'domain.xml');
writeFileSync(xmlFile, xml);

type Step = 'define' | 'start' | 'destroy' | 'undefine';
const STEPS: Step[] = ['define', 'start', 'destroy', 'undefine'];
const samples: Record<string, Record<Step | 'cycle', number[]>> = {};
const record = (way: string, step: Step | 'cycle', ms: number) => {
  samples[way] ??= { define: [], start: [], destroy: [], undefine: [], cycle: [] };
  samples[way][step].push(ms);
};
async function timed(way: string, step: Step, fn: () => unknown): Promise<void> {
  const t = performance.now();
  await fn();
  record(way, step, performance.now() - t);
}

async function nubo(): Promise<void> {
  const t = performance.now();
  let dom: RemoteDomain | null = null;
  await timed('nubo', 'define', async () => { dom = await domainDefineXml(conn, xml); });
  await timed('nubo', 'start', () => domainCreate(conn, dom!));
  await timed('nubo', 'destroy', () => domainDestroy(conn, dom!));
  await timed('nubo', 'undefine', () => domainUndefine(conn, dom!));
  record('nubo', 'cycle', performance.now() - t);
}

// Asynchronous, so the RPC connection keeps answering the daemon's keepalive pings meanwhile.
const execFileAsync = promisify(execFile);
async function virsh(): Promise<void> {
  const t = performance.now();
  const args: Record<Step, string[]> = { define: ['define', xmlFile], start: ['start', name], destroy: ['destroy', name], undefine: ['undefine', name] };
  for (const step of STEPS) await timed('virsh', step, () => execFileAsync('virsh', ['-q', '-c', URI, ...args[step]]));
  record('virsh', 'cycle', performance.now() - t);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(0)).padStart(9);

try {
  // One cycle each first, not counted: the first domain start after boot is slower.
  await nubo();
  await virsh();
  for (const k of Object.keys(samples)) delete samples[k];
  const ways = [nubo, virsh];
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < ways.length; i++) await ways[(round + i) % ways.length]!();
  }
  console.log(`Xen ${URI}: define + start + destroy + undefine of one PV domain (128 MiB, kernel + initramfs), ${ROUNDS} rounds, medians in ms`);
  console.log(`${'way'.padEnd(8)}${STEPS.map((s) => s.padStart(9)).join('')}${'cycle'.padStart(9)}`);
  for (const way of ['nubo', 'virsh']) {
    const s = samples[way]!;
    console.log(`${way.padEnd(8)}${STEPS.map((st) => fmt(median(s[st]))).join('')}${fmt(median(s.cycle))}`);
  }
  const n = samples.nubo!;
  const v = samples.virsh!;
  const clientSteps = (s: typeof n) => median(s.define) + median(s.undefine);
  console.log(`ratio virsh/nubo, whole cycle:            ${(median(v.cycle) / median(n.cycle)).toFixed(2)}x`);
  console.log(`ratio virsh/nubo, define + undefine only: ${(clientSteps(v) / clientSteps(n)).toFixed(1)}x (the steps where Xen builds no domain)`);
} finally {
  spawnSync('virsh', ['-c', URI, 'destroy', name], { stdio: 'ignore' });
  spawnSync('virsh', ['-c', URI, 'undefine', name], { stdio: 'ignore' });
  await conn.close();
  rmSync(dir, { recursive: true, force: true });
}
