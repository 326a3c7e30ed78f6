// The define + start + destroy + undefine cycle of one libvirt domain, timed per step, the
// ways the libvirt and Xen benches compare: Nubo's RPC client (one connection, one typed call
// per step) and `virsh` (one process per step). Rounds alternate between the ways so drift
// (cache, load) hits them alike; one cycle per way first is not counted (warm-up).
import { execFile } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { domainCreate, domainDefineXml, domainDestroy, domainUndefine, type LibvirtConnection, type RemoteDomain } from '@nubo/driver-libvirt';

export type Step = 'define' | 'start' | 'destroy' | 'undefine';
export const STEPS: Step[] = ['define', 'start', 'destroy', 'undefine'];

/** Milliseconds per way and step, and per whole cycle. */
export class CycleSamples {
  private readonly byWay = new Map<string, Record<Step | 'cycle', number[]>>();

  record(way: string, step: Step | 'cycle', ms: number): void {
    let s = this.byWay.get(way);
    if (!s) this.byWay.set(way, (s = { define: [], start: [], destroy: [], undefine: [], cycle: [] }));
    s[step].push(ms);
  }

  async timed<T>(way: string, step: Step, fn: () => Promise<T>): Promise<T> {
    const t = performance.now();
    const out = await fn();
    this.record(way, step, performance.now() - t);
    return out;
  }

  median(way: string, step: Step | 'cycle'): number {
    const xs = this.byWay.get(way)?.[step] ?? [];
    if (xs.length === 0) return NaN;
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  }

  clear(): void {
    this.byWay.clear();
  }

  /** The medians as a table, one line per way (steps a way does not time show as —). */
  print(ways: string[]): void {
    const fmt = (ms: number) => (Number.isNaN(ms) ? '—' : ms < 10 ? ms.toFixed(2) : ms.toFixed(0)).padStart(9);
    const w = Math.max(8, ...ways.map((x) => x.length + 1));
    console.log(`${'way'.padEnd(w)}${STEPS.map((s) => s.padStart(9)).join('')}${'cycle'.padStart(9)}`);
    for (const way of ways) console.log(`${way.padEnd(w)}${STEPS.map((st) => fmt(this.median(way, st))).join('')}${fmt(this.median(way, 'cycle'))}`);
  }

  /** `other`/`base` for the whole cycle and for define + undefine, the steps where no guest runs. */
  printRatios(other: string, base: string, { clientSteps = true } = {}): void {
    const label = `${other}/${base}`;
    console.log(`ratio ${label}, whole cycle:`.padEnd(44) + `${(this.median(other, 'cycle') / this.median(base, 'cycle')).toFixed(2)}x`);
    if (!clientSteps) return;
    const client = (way: string) => this.median(way, 'define') + this.median(way, 'undefine');
    console.log(`ratio ${label}, define + undefine only:`.padEnd(44) + `${(client(other) / client(base)).toFixed(1)}x (the steps where no guest runs)`);
  }
}

/** One cycle through Nubo's RPC client on `conn`, recorded as way `nubo`. */
export async function nuboCycle(conn: LibvirtConnection, xml: string, samples: CycleSamples): Promise<void> {
  const t = performance.now();
  const dom: RemoteDomain = await samples.timed('nubo', 'define', () => domainDefineXml(conn, xml));
  await samples.timed('nubo', 'start', () => domainCreate(conn, dom));
  await samples.timed('nubo', 'destroy', () => domainDestroy(conn, dom));
  await samples.timed('nubo', 'undefine', () => domainUndefine(conn, dom));
  samples.record('nubo', 'cycle', performance.now() - t);
}

// Asynchronous, so an open RPC connection keeps answering the daemon's keepalive pings meanwhile.
const execFileAsync = promisify(execFile);

/** One cycle with one `virsh -c URI` process per step, recorded as way `virsh`. */
export async function virshCycle(uri: string, xmlFile: string, name: string, samples: CycleSamples): Promise<void> {
  const t = performance.now();
  const args: Record<Step, string[]> = { define: ['define', xmlFile], start: ['start', name], destroy: ['destroy', name], undefine: ['undefine', name] };
  for (const step of STEPS) await samples.timed('virsh', step, () => execFileAsync('virsh', ['-q', '-c', uri, ...args[step]]));
  samples.record('virsh', 'cycle', performance.now() - t);
}

/** One uncounted cycle per way, then `rounds` rounds, each starting with the next way. */
export async function runAlternating(ways: (() => Promise<void>)[], rounds: number, samples: CycleSamples): Promise<void> {
  for (const way of ways) await way();
  samples.clear();
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < ways.length; i++) await ways[(round + i) % ways.length]!();
  }
}
