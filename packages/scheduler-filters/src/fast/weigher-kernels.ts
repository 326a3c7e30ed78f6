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

/** Writes the raw weight of each candidate slot `cand[i]` into `out[i]`. */
export type WeigherKernel = (fleet: FleetState, cand: Int32Array, n: number, out: Float64Array) => void;

/**
 * The kernel of one weigher for one request, or null when it weighs every host the same for
 * this request (then Nova's normalisation gives 0 everywhere and it adds nothing).
 */
export function weigherKernel(weigher: HostWeigher, spec: RequestSpec): WeigherKernel | null {
  const ctor = weigher.constructor;
  const column = COLUMN_WEIGHERS.get(ctor);
  if (column) return column;
  if (CONSTANT_WHEN.get(ctor)?.(weigher, spec)) return null;
  return (fleet, cand, n, out) => {
    for (let i = 0; i < n; i++) out[i] = weigher.weigh(fleet.hostAt(cand[i]!)!, spec);
  };
}

function fromColumn(name: FleetColumn): WeigherKernel {
  return (fleet, cand, n, out) => {
    const col = fleet.column(name);
    for (let i = 0; i < n; i++) out[i] = col[cand[i]!]!;
  };
}

const COLUMN_WEIGHERS = new Map<unknown, WeigherKernel>([
  [RAMWeigher, fromColumn('freeRamMb')],
  [DiskWeigher, fromColumn('freeDiskMb')],
  [IoOpsWeigher, fromColumn('numIoOps')],
  [BuildFailureWeigher, fromColumn('failedBuilds')],
  [CPUWeigher, (fleet, cand, n, out) => {
    const total = fleet.column('vcpusTotal');
    const ratio = fleet.column('cpuAllocationRatio');
    const used = fleet.column('vcpusUsed');
    for (let i = 0; i < n; i++) {
      const s = cand[i]!;
      out[i] = total[s]! * ratio[s]! - used[s]!;
    }
  }],
  [PCIWeigher, (fleet, cand, n, out) => {
    const free = fleet.column('pciFree');
    for (let i = 0; i < n; i++) out[i] = 100 - Math.min(free[cand[i]!]!, 99);
  }],
]);

const CONSTANT_WHEN = new Map<unknown, (w: HostWeigher, spec: RequestSpec) => boolean>([
  [CrossCellWeigher, (_w, spec) => !spec.requestedDestination?.cellUuid || !spec.requestedDestination.allowCrossCellMove],
  [ServerGroupSoftAffinityWeigher, (_w, spec) => spec.instanceGroup?.policy !== 'soft-affinity'],
  [ServerGroupSoftAntiAffinityWeigher, (_w, spec) => spec.instanceGroup?.policy !== 'soft-anti-affinity'],
  [MetricsWeigher, (w) => (w as unknown as { setting: unknown[] }).setting.length === 0],
]);
