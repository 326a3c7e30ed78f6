import type { HostFilter, HostSelector, HostState, HostWeigher, RequestSpec } from '@nubo/core';
import { pickFromBest } from '../pipeline/pipeline-host-selector.js';
import { filterKernel } from './filter-kernels.js';
import { FleetState } from './fleet-state.js';
import { topWeighed } from './top-weighed.js';
import { weigherKernel } from './weigher-kernels.js';

/** Options of the fleet selector. */
export interface FleetSelectorOptions {
  /** Pick at random among the best N (Nova's `host_subset_size`). */
  hostSubsetSize?: number;
  /** Shuffle the hosts tied for the best weight first. */
  shuffleBestSameWeighedHosts?: boolean;
  /** How many hosts `select` returns (chosen + alternates); all passing hosts by default. */
  maxResults?: number;
  random?: () => number;
}

/**
 * The same decisions as Nova's filter scheduler (and `PipelineHostSelector`), over a
 * {@link FleetState}: numeric filters and weighers run as loops over typed arrays, filters
 * that cannot affect a request are skipped, weighers that weigh every host alike are skipped
 * (Nova normalises them to 0), per-host multipliers are cached until the host changes, and
 * only the best few hosts are ranked instead of sorting the fleet.
 *
 * Ties are broken by fleet slot (arrival order), as Nova's stable sort keeps its host order.
 */
export class FleetHostSelector implements HostSelector {
  readonly fleet: FleetState;
  private readonly random: () => number;
  private cand = new Int32Array(0);
  private raw = new Float64Array(0);
  private totals = new Float64Array(0);
  private readonly multipliers: Float64Array[] = [];
  private readonly multiplierVersion: Float64Array[] = [];
  private readonly slotVersion: Float64Array[] = [];
  private lastInput: readonly HostState[] | undefined;
  private readonly seen = new Map<string, HostState>();

  constructor(
    readonly filters: readonly HostFilter[],
    readonly weighers: readonly HostWeigher[],
    private readonly options: FleetSelectorOptions = {},
    fleet?: FleetState,
  ) {
    this.fleet = fleet ?? new FleetState();
    this.random = options.random ?? Math.random;
  }

  /**
   * `HostSelector`: brings the fleet in line with `hosts` (hosts are taken as immutable
   * snapshots: a changed host must be a new object) and selects from it.
   */
  select(spec: RequestSpec, hosts: readonly HostState[]): HostState[] {
    this.sync(hosts);
    return this.selectFromFleet(spec, this.options.maxResults);
  }

  /** Filters and weighs the cached fleet; returns up to `limit` hosts, chosen first. */
  selectFromFleet(spec: RequestSpec, limit = this.options.maxResults ?? Infinity): HostState[] {
    const n = this.filter(spec);
    if (n === 0) return [];
    const cand = this.cand;
    if (n > 1) this.weigh(spec, n);
    else this.totals[0] = 0;
    const subset = Math.max(1, this.options.hostSubsetSize ?? 1);
    const shuffle = this.options.shuffleBestSameWeighedHosts ?? false;
    const want = shuffle ? n : Math.min(n, Math.max(limit, subset));
    const top = topWeighed(this.totals, n, want);
    const ordered = Array.from(top, (i) => ({ host: this.fleet.hostAt(cand[i]!)!, weight: this.totals[i]! }));
    const picked = pickFromBest(ordered, subset, this.random, shuffle);
    return Number.isFinite(limit) ? picked.slice(0, limit) : picked;
  }

  /** Selects and claims the chosen host in one step, so the next request sees the room taken. */
  selectAndClaim(spec: RequestSpec, limit?: number): HostState[] {
    const hosts = this.selectFromFleet(spec, limit);
    if (hosts.length) hosts[0] = this.fleet.claim(hosts[0]!.host, spec);
    return hosts;
  }

  private sync(hosts: readonly HostState[]): void {
    if (hosts === this.lastInput && hosts.every((h) => this.seen.get(h.host) === h)) return;
    const names = new Set<string>();
    for (const h of hosts) {
      names.add(h.host);
      if (this.seen.get(h.host) !== h) {
        this.fleet.upsert(h);
        this.seen.set(h.host, h);
      }
    }
    if (names.size !== this.fleet.size) {
      for (const h of this.fleet.hosts()) {
        if (!names.has(h.host)) {
          this.fleet.remove(h.host);
          this.seen.delete(h.host);
        }
      }
    }
    this.lastInput = hosts;
  }

  private ensureCapacity(n: number): void {
    if (this.cand.length >= n) return;
    const size = Math.max(n, this.cand.length * 2, 64);
    this.cand = new Int32Array(size);
    this.raw = new Float64Array(size);
    this.totals = new Float64Array(size);
  }

  /** Fills `cand` with the passing slots in slot order; returns their count. */
  private filter(spec: RequestSpec): number {
    const fleet = this.fleet;
    this.ensureCapacity(fleet.slotCount);
    const cand = this.cand;
    const ignored = spec.ignoreHosts?.length ? new Set(spec.ignoreHosts) : null;
    let n = 0;
    for (let s = 0; s < fleet.slotCount; s++) {
      const h = fleet.hostAt(s);
      if (h && !(ignored && ignored.has(h.host))) cand[n++] = s;
    }
    for (const f of this.filters) {
      if (n === 0) break;
      const kernel = filterKernel(f, spec);
      if (kernel) n = kernel(fleet, cand, n);
    }
    return n;
  }

  private weigh(spec: RequestSpec, n: number): void {
    const { cand, raw, totals, fleet } = this;
    totals.fill(0, 0, n);
    this.weighers.forEach((w, wi) => {
      const kernel = weigherKernel(w, spec);
      if (!kernel) return;
      kernel(fleet, cand, n, raw);
      let lo = Infinity;
      let hi = -Infinity;
      const min = w.minval;
      const max = w.maxval;
      for (let i = 0; i < n; i++) {
        let v = raw[i]!;
        if (min !== undefined && v < min) raw[i] = v = min;
        if (max !== undefined && v > max) raw[i] = v = max;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      if (min !== undefined) lo = min;
      if (max !== undefined) hi = max;
      if (lo === hi) return;
      const range = hi - lo;
      const mult = this.multipliersFor(wi, w, n);
      for (let i = 0; i < n; i++) totals[i] = totals[i]! + mult[cand[i]!]! * ((raw[i]! - lo) / range);
    });
  }

  /** Per-slot multipliers of weigher `wi`, recomputed for hosts changed since last time. */
  private multipliersFor(wi: number, w: HostWeigher, n: number): Float64Array {
    const fleet = this.fleet;
    let mult = this.multipliers[wi];
    let stamp = this.multiplierVersion[wi];
    if (!mult || mult.length < fleet.slotCount) {
      const size = Math.max(fleet.slotCount, 64) * 2;
      const bigger = new Float64Array(size);
      const stamps = new Float64Array(size).fill(-1);
      if (mult) {
        bigger.set(mult);
        stamps.set(stamp!);
      }
      this.multipliers[wi] = mult = bigger;
      this.multiplierVersion[wi] = stamp = stamps;
    }
    const cand = this.cand;
    for (let i = 0; i < n; i++) {
      const s = cand[i]!;
      const changed = fleet.writtenAt(s);
      if (stamp![s] !== changed) {
        mult[s] = w.multiplier(fleet.hostAt(s)!);
        stamp![s] = changed;
      }
    }
    return mult;
  }
}
