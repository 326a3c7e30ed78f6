// define + start + destroy (+ undefine) of the same QEMU domain (a boot-sector guest on a
// qcow2 overlay, TCG) against this machine's libvirtd, three ways in the same run:
//   nubo        — Nubo's RPC client: one connection, one typed call per step
//   virsh       — one `virsh` process per step, as a shell script drives libvirt
//   virsh batch — one `virsh` process per cycle, the four commands on its stdin
// Rounds alternate between the ways so drift (cache, load) hits them alike. Most of a cycle is
// QEMU starting and dying; the per-step table shows where the client itself costs.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  domainCreate, domainDefineXml, domainDestroy, domainUndefine, LibvirtConnection,
} from '@nubo/driver-libvirt';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const URI = 'qemu:///system';

let conn: LibvirtConnection;
try {
  conn = await LibvirtConnection.open(URI, { connectTimeoutMs: 3000 });
} catch (err) {
  console.log(`skipped: libvirtd not reachable at ${URI} (${(err as Error).message}); run scripts/setup/libvirt.sh`);
  process.exit(0);
}

const dir = mkdtempSync('/var/tmp/nubo-bench-libvirt-');
chmodSync(dir, 0o755);
const base = join(dir, 'base.raw');
const img = Buffer.alloc(1024 * 1024);
Buffer.from('FA31C08ED8BE167CBAF803AC84C07403EEEBF8F4EBFD', 'hex').copy(img, 0);
img.write('nubo bench guest\r\n\0', 22, 'latin1');
img[510] = 0x55;
img[511] = 0xaa;
writeFileSync(base, img);
const disk = join(dir, 'disk.qcow2');
execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', 'raw', '-b', base, disk]);

const name = `nubotest-bench-${process.pid}`;
const xml = `<domain type='qemu'><name>${name}</name><memory unit='MiB'>32</memory><vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><boot dev='hd'/></os>
  <devices><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='${disk}'/><target dev='vda' bus='virtio'/></disk>
  <serial type='file'><source path='${join(dir, 'serial.log')}'/><target port='0'/></serial>
  <graphics type='vnc' listen='127.0.0.1' autoport='yes'/></devices></domain>`;
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
  let dom = null as Awaited<ReturnType<typeof domainDefineXml>> | null;
  await timed('nubo', 'define', async () => { dom = await domainDefineXml(conn, xml); });
  await timed('nubo', 'start', () => domainCreate(conn, dom!));
  await timed('nubo', 'destroy', () => domainDestroy(conn, dom!));
  await timed('nubo', 'undefine', () => domainUndefine(conn, dom!));
  record('nubo', 'cycle', performance.now() - t);
}

// virsh runs asynchronously: a blocked event loop could not answer libvirtd's keepalive
// pings, and the daemon drops a client that stays silent for 30 s.
const execFileAsync = promisify(execFile);

async function virsh(...args: string[]): Promise<void> {
  await execFileAsync('virsh', ['-q', '-c', URI, ...args]);
}

async function virshPerStep(): Promise<void> {
  const t = performance.now();
  const args: Record<Step, string[]> = { define: ['define', xmlFile], start: ['start', name], destroy: ['destroy', name], undefine: ['undefine', name] };
  for (const step of STEPS) await timed('virsh', step, () => virsh(...args[step]));
  record('virsh', 'cycle', performance.now() - t);
}

async function virshBatch(): Promise<void> {
  const t = performance.now();
  const child = execFile('virsh', ['-q', '-c', URI]);
  const out = new Promise<string>((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (c: Buffer) => { stderr += c.toString(); });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 && !/error/i.test(stderr) ? resolve(stderr) : reject(new Error(`virsh batch (exit ${code}): ${stderr}`))));
  });
  child.stdin!.end(`define ${xmlFile}\nstart ${name}\ndestroy ${name}\nundefine ${name}\nquit\n`);
  await out;
  record('virsh batch', 'cycle', performance.now() - t);
}

const median = (xs: number[]) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const fmt = (ms: number) => (Number.isNaN(ms) ? '—' : ms < 10 ? ms.toFixed(2) : ms.toFixed(0)).padStart(9);

try {
  // Warm up once each (QEMU capability cache, page cache of the binaries); not counted.
  await nubo();
  await virshPerStep();
  for (const k of Object.keys(samples)) delete samples[k];
  const ways = [nubo, virshPerStep, virshBatch];
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < ways.length; i++) await ways[(round + i) % ways.length]!();
  }
  console.log(`libvirt ${URI}: define + start + destroy + undefine of one QEMU/TCG domain, ${ROUNDS} rounds, medians in ms`);
  console.log(`${'way'.padEnd(12)}${STEPS.map((s) => s.padStart(9)).join('')}${'cycle'.padStart(9)}`);
  for (const way of ['nubo', 'virsh', 'virsh batch']) {
    const s = samples[way]!;
    console.log(`${way.padEnd(12)}${STEPS.map((st) => fmt(median(s[st]))).join('')}${fmt(median(s.cycle))}`);
  }
  const n = samples.nubo!;
  const v = samples.virsh!;
  const b = samples['virsh batch']!;
  const clientSteps = (s: typeof n) => median(s.define) + median(s.undefine);
  console.log(`ratio virsh/nubo, whole cycle:           ${(median(v.cycle) / median(n.cycle)).toFixed(2)}x`);
  console.log(`ratio virsh batch/nubo, whole cycle:     ${(median(b.cycle) / median(n.cycle)).toFixed(2)}x`);
  console.log(`ratio virsh/nubo, define + undefine only: ${(clientSteps(v) / clientSteps(n)).toFixed(1)}x (the steps where no QEMU runs)`);
} finally {
  spawnSync('virsh', ['-c', URI, 'destroy', name], { stdio: 'ignore' });
  spawnSync('virsh', ['-c', URI, 'undefine', name], { stdio: 'ignore' });
  await conn.close();
  rmSync(dir, { recursive: true, force: true });
}
