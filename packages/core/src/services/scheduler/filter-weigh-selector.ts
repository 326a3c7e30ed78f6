import type { HostFilter } from '../../ports/host-filter.js';
import type { HostSelector } from '../../ports/host-selector.js';
import type { HostState, RequestSpec } from '../../ports/host-state.js';
import type { HostWeigher } from '../../ports/host-weigher.js';

/**
 * The straightforward selector: every filter on every host, then Nova's weighing — each
 * weigher's values scaled to 0…1 across the passing hosts, times its multiplier, summed;
 * best first, ties keep the candidates' order.
 */
export class FilterWeighSelector implements HostSelector {
  constructor(private readonly filters: readonly HostFilter[], private readonly weighers: readonly HostWeigher[]) {}

  select(spec: RequestSpec, hosts: readonly HostState[]): HostState[] {
    const passing = hosts.filter((h) => this.filters.every((f) => f.hostPasses(h, spec)));
    if (passing.length < 2 || this.weighers.length === 0) return passing;
    const totals = new Float64Array(passing.length);
    for (const w of this.weighers) {
      const raw = passing.map((h) => w.weigh(h, spec));
      const min = w.minval ?? Math.min(...raw);
      const max = w.maxval ?? Math.max(...raw);
      const range = max - min;
      for (let i = 0; i < raw.length; i++) {
        const normalized = range === 0 ? 0 : (raw[i]! - min) / range;
        totals[i]! += w.multiplier(passing[i]!) * normalized;
      }
    }
    return passing
      .map((h, i) => ({ h, w: totals[i]!, i }))
      .sort((a, b) => b.w - a.w || a.i - b.i)
      .map((x) => x.h);
  }
}
