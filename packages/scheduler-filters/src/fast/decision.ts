import type { HostFilter, HostWeigher, RequestSpec } from '@nubo/core';
import { filterKernel, type FilterKernel } from './filter-kernels.js';
import type { FleetState } from './fleet-state.js';
import { weigherKernel, type WeigherKernel } from './weigher-kernels.js';
import type { WeigherMultipliers } from './weigher-multipliers.js';

/** One weigher's part in a decision: its raw weights by slot and their bounds over the passing hosts. */
interface WeigherState {
  wi: number;
  kernel: WeigherKernel;
  raw: Float64Array;
  /** Smallest and largest raw weight among the passing hosts. */
  dataLo: number;
  dataHi: number;
}

/**
 * Nova's filter-and-weigh outcome for one request shape over the whole fleet, kept by slot:
 * which hosts pass, each weigher's raw weights and bounds, and each host's total. Built in
 * full once; afterwards `update` re-filters and re-weighs only the hosts written since (a claim,
 * a report), and re-normalises everyone only when a weigher's bounds moved.
 */
export class Decision {
  member: Uint8Array;
  count = 0;
  totals: Float64Array;
  cursor = 0;
  private filterKernels: FilterKernel[] = [];
  private weighers: WeigherState[] = [];
  private pattern = '';
  private readonly one = new Int32Array(1);
  private rawPool: Float64Array[] = [];

  private spec!: RequestSpec;
  private ignored: ReadonlySet<string> = new Set();

  constructor(
    private readonly fleet: FleetState,
    private readonly filters: readonly HostFilter[],
    private readonly allWeighers: readonly HostWeigher[],
    private readonly multipliers: WeigherMultipliers,
    private readonly scratch: () => Int32Array,
  ) {
    this.member = new Uint8Array(0);
    this.totals = new Float64Array(0);
  }

  /** Sets the request this decision is about; `build` must follow. */
  reset(spec: RequestSpec): this {
    this.spec = spec;
    this.ignored = new Set(spec.ignoreHosts ?? []);
    return this;
  }

  private isIgnored(s: number): boolean {
    return this.ignored.size > 0 && this.ignored.has(this.fleet.hostAt(s)?.host ?? '');
  }

  /** Which weighers can tell hosts apart now; a change means a full rebuild. */
  private currentPattern(): { pattern: string; kernels: (WeigherKernel | null)[] } {
    const kernels = this.allWeighers.map((w) => weigherKernel(w, this.spec, this.fleet));
    return { pattern: kernels.map((k) => (k ? '1' : '0')).join(''), kernels };
  }

  /** Filters and weighs the whole fleet. */
  build(): this {
    const fleet = this.fleet;
    const size = Math.max(fleet.slotCount, 1);
    if (this.member.length < size) {
      this.member = new Uint8Array(size * 2);
      this.totals = new Float64Array(size * 2);
      this.rawPool = [];
    } else {
      this.member.fill(0);
    }
    this.cursor = fleet.cursor;
    this.multipliers.refresh();
    this.filterKernels = this.filters.map((f) => filterKernel(f, this.spec)).filter((k): k is FilterKernel => k !== null);
    const cand = this.scratch();
    const alive = fleet.column('alive');
    let n = 0;
    for (let s = 0; s < fleet.slotCount; s++) if (alive[s] === 1 && !this.isIgnored(s)) cand[n++] = s;
    for (const k of this.filterKernels) {
      if (n === 0) break;
      n = k(fleet, cand, n);
    }
    for (let i = 0; i < n; i++) this.member[cand[i]!] = 1;
    this.count = n;
    const { pattern, kernels } = this.currentPattern();
    this.pattern = pattern;
    this.weighers = [];
    kernels.forEach((kernel, wi) => {
      if (!kernel) return;
      const raw = (this.rawPool[this.weighers.length] ??= new Float64Array(this.member.length));
      const { lo, hi } = n > 0 ? kernel(fleet, cand, n, raw) : { lo: Infinity, hi: -Infinity };
      this.weighers.push({ wi, kernel, raw, dataLo: lo, dataHi: hi });
    });
    this.sumAll(cand, n);
    return this;
  }

  /**
   * Brings the decision up to date with the fleet. Returns false when it cannot be done
   * incrementally (the fleet grew, too much changed, a weigher started or stopped telling
   * hosts apart): then call `build`.
   */
  update(): boolean {
    const fleet = this.fleet;
    if (fleet.slotCount > this.member.length) return false;
    const { slots, all, cursor } = fleet.changesSince(this.cursor);
    if (all || slots.length > Math.max(64, this.member.length >> 3)) return false;
    if (slots.length === 0) return true;
    if (this.currentPattern().pattern !== this.pattern) return false;
    this.cursor = cursor;
    this.multipliers.refresh();
    const changed = [...new Set(slots)];
    const before = this.weighers.map((w) => this.bounds(w));
    const rescan = new Set<WeigherState>();
    const one = this.one;
    const alive = fleet.column('alive');
    for (const s of changed) {
      const was = this.member[s] === 1;
      one[0] = s;
      let is = alive[s] === 1 && !this.isIgnored(s);
      for (const k of this.filterKernels) {
        if (!is) break;
        is = k(fleet, one, 1) === 1;
      }
      this.member[s] = is ? 1 : 0;
      this.count += (is ? 1 : 0) - (was ? 1 : 0);
      for (const w of this.weighers) {
        const old = w.raw[s]!;
        if (is) w.kernel(fleet, one, 1, w.raw);
        const now = w.raw[s]!;
        if (was && (old === w.dataLo || old === w.dataHi) && (!is || now !== old)) rescan.add(w);
        if (is) {
          if (now < w.dataLo) w.dataLo = now;
          if (now > w.dataHi) w.dataHi = now;
        }
      }
    }
    for (const w of rescan) this.rescan(w);
    const moved = this.weighers.some((w, j) => {
      const b = this.bounds(w);
      return b.lo !== before[j]!.lo || b.hi !== before[j]!.hi;
    });
    if (moved) {
      const cand = this.scratch();
      let n = 0;
      for (let s = 0; s < this.member.length; s++) if (this.member[s] === 1) cand[n++] = s;
      this.sumAll(cand, n);
    } else {
      for (const s of changed) if (this.member[s] === 1) this.sumOne(s);
    }
    return true;
  }

  /** The normalisation bounds Nova uses: the weigher's own `minval`/`maxval`, else the data's. */
  private bounds(w: WeigherState): { lo: number; hi: number } {
    const def = this.allWeighers[w.wi]!;
    return { lo: def.minval ?? w.dataLo, hi: def.maxval ?? w.dataHi };
  }

  private rescan(w: WeigherState): void {
    let lo = Infinity;
    let hi = -Infinity;
    const raw = w.raw;
    const member = this.member;
    for (let s = 0; s < member.length; s++) {
      if (member[s] !== 1) continue;
      const v = raw[s]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    w.dataLo = lo;
    w.dataHi = hi;
  }

  /** Totals of the `n` passing slots in `cand`, weigher by weigher in Nova's order. */
  private sumAll(cand: Int32Array, n: number): void {
    const totals = this.totals;
    for (let i = 0; i < n; i++) totals[cand[i]!] = 0;
    for (const w of this.weighers) {
      const { lo, hi } = this.bounds(w);
      if (lo === hi) continue;
      const range = hi - lo;
      const raw = w.raw;
      const mult = this.multipliers.of(w.wi);
      for (let i = 0; i < n; i++) {
        const s = cand[i]!;
        totals[s] = totals[s]! + mult[s]! * ((raw[s]! - lo) / range);
      }
    }
  }

  private sumOne(s: number): void {
    let t = 0;
    for (const w of this.weighers) {
      const { lo, hi } = this.bounds(w);
      if (lo === hi) continue;
      t = t + this.multipliers.of(w.wi)[s]! * ((w.raw[s]! - lo) / (hi - lo));
    }
    this.totals[s] = t;
  }
}
