// CPU time used by groups of processes, read from /proc (Linux): a cost per operation that
// holds still when the machine is shared, unlike throughput, which other work slows down.
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SEC = 100;

export interface CpuGroup {
  name: string;
  /** True for a process of this group, given its command line. */
  matches: (cmdline: string) => boolean;
}

/** CPU seconds (user + system) used so far by the live processes of each group. */
export function cpuSecondsByGroup(groups: readonly CpuGroup[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(groups.map((g) => [g.name, 0]));
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let cmdline: string;
    let stat: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'latin1').replaceAll('\0', ' ');
      stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    } catch {
      continue; // exited meanwhile
    }
    const group = groups.find((g) => g.matches(cmdline));
    if (!group) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out[group.name]! += (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SEC;
  }
  return out;
}

/** Per-group difference of two readings. */
export function cpuDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.keys(after).map((k) => [k, after[k]! - (before[k] ?? 0)]));
}
