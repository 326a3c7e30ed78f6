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
  private totals = new Float64Array(0);
  private readonly multipliers: Float64Array[] = [];
  private journalCursor = 0;

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
   * `HostSelector`: brings the fleet in line with `hosts` — objects the caller may change in
   * place; a host is re-read when its numbers, aggregates or instance count changed — and
   * selects from it. Feeding the fleet directly (`fleet.upsert`, `selectAndClaim`) is faster.
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
    const names = new Set<string>();
    for (const h of hosts) {
      names.add(h.host);
      this.fleet.sync(h);
    }
    if (names.size !== this.fleet.size) {
      for (const h of this.fleet.hosts()) if (!names.has(h.host)) this.fleet.remove(h.host);
    }
  }

  private ensureCapacity(n: number): void {
    if (this.cand.length >= n) return;
    const size = Math.max(n, this.cand.length * 2, 64);
    this.cand = new Int32Array(size);
    this.totals = new Float64Array(size);
  }

  /** Fills `cand` with the passing slots in slot order; returns their count. */
  private filter(spec: RequestSpec): number {
    const fleet = this.fleet;
    this.ensureCapacity(fleet.slotCount);
    const cand = this.cand;
    const alive = fleet.column('alive');
    const ignored = new Set<number>();
    for (const name of spec.ignoreHosts ?? []) {
      const slot = fleet.slotOf(name);
      if (slot !== undefined) ignored.add(slot);
    }
    let n = 0;
    const count = fleet.slotCount;
    if (ignored.size === 0) {
      for (let s = 0; s < count; s++) if (alive[s] === 1) cand[n++] = s;
    } else {
      for (let s = 0; s < count; s++) if (alive[s] === 1 && !ignored.has(s)) cand[n++] = s;
    }
    for (const f of this.filters) {
      if (n === 0) break;
      const kernel = filterKernel(f, spec);
      if (kernel) n = kernel(fleet, cand, n);
    }
    return n;
  }

  /**
   * Nova's weighing: each weigher that can tell hosts apart writes its clamped raw weights and
   * their bounds in one pass, then adds `multiplier × normalised` to every host, in weigher
   * order (the same floating-point operations, in the same order, as Nova).
   */
  private weigh(spec: RequestSpec, n: number): void {
    const { cand, totals, fleet } = this;
    this.refreshMultipliers();
    const raws: Float64Array[] = [];
    const mults: Float64Array[] = [];
    const los: number[] = [];
    const ranges: number[] = [];
    for (let wi = 0; wi < this.weighers.length; wi++) {
      const w = this.weighers[wi]!;
      const kernel = weigherKernel(w, spec, fleet);
      if (!kernel) continue;
      const raw = this.rawBuffer(raws.length, n);
      let { lo, hi } = kernel(fleet, cand, n, raw);
      if (w.minval !== undefined) lo = w.minval;
      if (w.maxval !== undefined) hi = w.maxval;
      if (lo === hi) continue;
      raws.push(raw);
      mults.push(this.multipliers[wi]!);
      los.push(lo);
      ranges.push(hi - lo);
    }
    // weigher by weigher, so each host's sum adds the terms in Nova's order
    totals.fill(0, 0, n);
    for (let j = 0; j < raws.length; j++) {
      const raw = raws[j]!;
      const mult = mults[j]!;
      const lo = los[j]!;
      const range = ranges[j]!;
      for (let i = 0; i < n; i++) totals[i] = totals[i]! + mult[cand[i]!]! * ((raw[i]! - lo) / range);
    }
  }

  private readonly rawBuffers: Float64Array[] = [];
  private rawBuffer(j: number, n: number): Float64Array {
    let b = this.rawBuffers[j];
    if (!b || b.length < n) this.rawBuffers[j] = b = new Float64Array(Math.max(n, this.cand.length));
    return b;
  }

  /** Per-slot multipliers of every weigher, refreshed for the hosts written since last time. */
  private refreshMultipliers(): void {
    const fleet = this.fleet;
    const { slots, all, cursor } = fleet.changesSince(this.journalCursor);
    this.journalCursor = cursor;
    const grow = this.multipliers.length === 0 || this.multipliers[0]!.length < fleet.slotCount;
    if (grow) {
      const size = Math.max(fleet.slotCount, 64) * 2;
      this.weighers.forEach((_, wi) => {
        const bigger = new Float64Array(size);
        if (this.multipliers[wi]) bigger.set(this.multipliers[wi]!);
        this.multipliers[wi] = bigger;
      });
    }
    const refresh = (s: number) => {
      const h = fleet.hostAt(s);
      if (!h) return;
      this.weighers.forEach((w, wi) => {
        this.multipliers[wi]![s] = w.multiplier(h);
      });
    };
    if (all) for (let s = 0; s < fleet.slotCount; s++) refresh(s);
    else for (let i = 0; i < slots.length; i++) refresh(slots[i]!);
  }
}
