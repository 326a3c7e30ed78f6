// define + start + destroy (+ undefine) of the same Xen PV domain (the xen-host image's test
// guest: Debian's kernel + a busybox initramfs) on a running Xen host, two ways in the same run:
//   nubo  — Nubo's libvirt RPC client over xen+tcp, the Xen driver's domain XML, one typed call per step
//   virsh — one `virsh -c xen+tcp://…` process per step
// Rounds alternate so drift hits both alike. Booting a Xen host takes minutes under TCG, so
// this bench does not: with no host answering it prints "skipped" and exits 0. Start one with
// `shared/tools/xen-host/boot.sh /var/cache/nubo/xen-host start`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleInstanceSpec } from '@nubo/core/testing';
import { LibvirtConnection } from '@nubo/driver-libvirt';
import { buildXenDomainXml } from '../packages/driver-xen/src/index.js';
import { CycleSamples, nuboCycle, runAlternating, virshCycle } from './support/domain-cycle-bench.js';

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

const samples = new CycleSamples();

try {
  // The warm-up cycle matters here: the first domain start after boot is slower.
  await runAlternating([() => nuboCycle(conn, xml, samples), () => virshCycle(URI, xmlFile, name, samples)], ROUNDS, samples);
  console.log(`Xen ${URI}: define + start + destroy + undefine of one PV domain (128 MiB, kernel + initramfs), ${ROUNDS} rounds, medians in ms`);
  samples.print(['nubo', 'virsh']);
  samples.printRatios('virsh', 'nubo');
} finally {
  spawnSync('virsh', ['-c', URI, 'destroy', name], { stdio: 'ignore' });
  spawnSync('virsh', ['-c', URI, 'undefine', name], { stdio: 'ignore' });
  await conn.close();
  rmSync(dir, { recursive: true, force: true });
}
