import type { HostWeigher, RequestSpec } from '@nubo/core';
import { BuildFailureWeigher } from '../weighers/build-failure-weigher.js';
import { CPUWeigher } from '../weighers/cpu-weigher.js';
import { CrossCellWeigher } from '../weighers/cross-cell-weigher.js';
import { DiskWeigher } from '../weighers/disk-weigher.js';
import { IoOpsWeigher } from '../weighers/io-ops-weigher.js';
import { MetricsWeigher } from '../weighers/metrics-weigher.js';
import { PCIWeigher } from '../weighers/pci-weigher.js';
import { RAMWeigher } from '../weighers/ram-weigher.js';
import { ServerGroupSoftAffinityWeigher } from '../weighers/server-group-soft-affinity-weigher.js';
import { ServerGroupSoftAntiAffinityWeigher } from '../weighers/server-group-soft-anti-affinity-weigher.js';
import type { FleetColumn, FleetState } from './fleet-state.js';

/**
 * Writes the raw weight of each candidate slot `s = cand[i]` into `out[s]` (arrays indexed by
 * slot), clamped to the weigher's `minval`/`maxval`, and returns the smallest and largest
 * value written.
 */
export type WeigherKernel = (fleet: FleetState, cand: Int32Array, n: number, out: Float64Array) => { lo: number; hi: number };

/**
 * The kernel of one weigher for one request, or null when it weighs every host the same for
 * this request (then Nova's normalisation gives 0 everywhere and it adds nothing).
 */
export function weigherKernel(weigher: HostWeigher, spec: RequestSpec, fleet: FleetState): WeigherKernel | null {
  const ctor = weigher.constructor;
  if (CONSTANT_WHEN.get(ctor)?.(weigher, spec, fleet)) return null;
  const column = COLUMN_WEIGHERS.get(ctor);
  if (column) return column(weigher);
  return (fl, cand, n, out) => {
    for (let i = 0; i < n; i++) out[cand[i]!] = weigher.weigh(fl.hostAt(cand[i]!)!, spec);
    return clampAndBound(out, cand, n, weigher.minval, weigher.maxval);
  };
}

function clampAndBound(out: Float64Array, cand: Int32Array, n: number, min: number | undefined, max: number | undefined): { lo: number; hi: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    const s = cand[i]!;
    let v = out[s]!;
    if (min !== undefined && v < min) out[s] = v = min;
    if (max !== undefined && v > max) out[s] = v = max;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return { lo, hi };
}

/** Gathers a column for the candidates, clamping to `minval` (the resource weighers' 0), in one pass. */
function fromColumn(name: FleetColumn): (w: HostWeigher) => WeigherKernel {
  return (w) => {
    if (w.maxval !== undefined) {
      return (fleet, cand, n, out) => {
        const col = fleet.column(name);
        for (let i = 0; i < n; i++) out[cand[i]!] = col[cand[i]!]!;
        return clampAndBound(out, cand, n, w.minval, w.maxval);
      };
    }
    const min = w.minval ?? -Infinity;
    return (fleet, cand, n, out) => {
      const col = fleet.column(name);
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < n; i++) {
        const s = cand[i]!;
        let v = col[s]!;
        if (v < min) v = min;
        out[s] = v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
      return { lo, hi };
    };
  };
}

const COLUMN_WEIGHERS = new Map<unknown, (w: HostWeigher) => WeigherKernel>([
  [RAMWeigher, fromColumn('freeRamMb')],
  [DiskWeigher, fromColumn('freeDiskMb')],
  [IoOpsWeigher, fromColumn('numIoOps')],
  [BuildFailureWeigher, fromColumn('failedBuilds')],
  [CPUWeigher, (w) => (fleet, cand, n, out) => {
    const total = fleet.column('vcpusTotal');
    const ratio = fleet.column('cpuAllocationRatio');
    const used = fleet.column('vcpusUsed');
    for (let i = 0; i < n; i++) {
      const s = cand[i]!;
      out[s] = total[s]! * ratio[s]! - used[s]!;
    }
    return clampAndBound(out, cand, n, w.minval, w.maxval);
  }],
  [PCIWeigher, (w) => (fleet, cand, n, out) => {
    const free = fleet.column('pciFree');
    for (let i = 0; i < n; i++) out[cand[i]!] = 100 - Math.min(free[cand[i]!]!, 99);
    return clampAndBound(out, cand, n, w.minval, w.maxval);
  }],
]);

/** When a weigher gives every candidate the same raw weight, whatever the hosts. */
const CONSTANT_WHEN = new Map<unknown, (w: HostWeigher, spec: RequestSpec, fleet: FleetState) => boolean>([
  [CrossCellWeigher, (_w, spec) => !spec.requestedDestination?.cellUuid || !spec.requestedDestination.allowCrossCellMove],
  [ServerGroupSoftAffinityWeigher, (_w, spec) => spec.instanceGroup?.policy !== 'soft-affinity'],
  [ServerGroupSoftAntiAffinityWeigher, (_w, spec) => spec.instanceGroup?.policy !== 'soft-anti-affinity'],
  [MetricsWeigher, (w) => (w as unknown as { setting: unknown[] }).setting.length === 0],
  // no host with a free PCI device (all weigh 100) or with a failed build (all weigh 0)
  [PCIWeigher, (_w, _spec, fleet) => fleet.nonZero('pciFree') === 0],
  [BuildFailureWeigher, (_w, _spec, fleet) => fleet.nonZero('failedBuilds') === 0],
]);
