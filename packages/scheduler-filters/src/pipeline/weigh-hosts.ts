import type { HostState, HostWeigher, RequestSpec } from '@nubo/core';

/** A host and its total weight; higher is better. */
export interface WeighedHost<H extends HostState = HostState> {
  host: H;
  weight: number;
}

/**
 * Nova's weight handler: for each weigher, the raw weights of all hosts (clamped to the
 * weigher's `minval`/`maxval`) are scaled to 0…1 between their minimum and maximum (or the
 * weigher's bounds; all equal → 0), multiplied by the host's multiplier and added, in weigher
 * order. Returns the hosts best first; equal weights keep the input order. One host or none:
 * returned as is with weight 0, no weigher runs.
 */
export function weighHosts<H extends HostState>(
  weighers: readonly HostWeigher[],
  hosts: readonly H[],
  spec: RequestSpec,
): WeighedHost<H>[] {
  const n = hosts.length;
  const totals = new Float64Array(n);
  if (n > 1) {
    const raw = new Float64Array(n);
    for (const w of weighers) {
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        let v = w.weigh(hosts[i]!, spec);
        if (w.minval !== undefined && v < w.minval) v = w.minval;
        if (w.maxval !== undefined && v > w.maxval) v = w.maxval;
        raw[i] = v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (w.minval !== undefined) lo = w.minval;
      if (w.maxval !== undefined) hi = w.maxval;
      if (lo === hi) {
        // Nova normalises to the integer 0; multiplier * 0 adds nothing.
        continue;
      }
      const range = hi - lo;
      for (let i = 0; i < n; i++) totals[i] = totals[i]! + w.multiplier(hosts[i]!) * ((raw[i]! - lo) / range);
    }
  }
  const out = hosts.map((host, i) => ({ host, weight: totals[i]! }));
  return out.sort((a, b) => (a.weight < b.weight ? 1 : a.weight > b.weight ? -1 : 0));
}
