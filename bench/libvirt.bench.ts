// define + start + destroy (+ undefine) of the same QEMU domain (a boot-sector guest on a
// qcow2 overlay, TCG) against this machine's libvirtd, three ways in the same run:
//   nubo        — Nubo's RPC client: one connection, one typed call per step
//   virsh       — one `virsh` process per step, as a shell script drives libvirt
//   virsh batch — one `virsh` process per cycle, the four commands on its stdin
// Rounds alternate between the ways so drift (cache, load) hits them alike. Most of a cycle is
// QEMU starting and dying; the per-step table shows where the client itself costs.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { LibvirtConnection } from '@nubo/driver-libvirt';
import { CycleSamples, nuboCycle, runAlternating, virshCycle } from './support/domain-cycle-bench.js';

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

const samples = new CycleSamples();

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
  samples.record('virsh batch', 'cycle', performance.now() - t);
}

try {
  await runAlternating([() => nuboCycle(conn, xml, samples), () => virshCycle(URI, xmlFile, name, samples), virshBatch], ROUNDS, samples);
  console.log(`libvirt ${URI}: define + start + destroy + undefine of one QEMU/TCG domain, ${ROUNDS} rounds, medians in ms`);
  samples.print(['nubo', 'virsh', 'virsh batch']);
  samples.printRatios('virsh batch', 'nubo', { clientSteps: false });
  samples.printRatios('virsh', 'nubo');
} finally {
  spawnSync('virsh', ['-c', URI, 'destroy', name], { stdio: 'ignore' });
  spawnSync('virsh', ['-c', URI, 'undefine', name], { stdio: 'ignore' });
  await conn.close();
  rmSync(dir, { recursive: true, force: true });
}
