import type { HostFilter, RequestSpec } from '@nubo/core';
import { AllHostsFilter } from '../filters/all-hosts-filter.js';
import { AggregateInstanceExtraSpecsFilter } from '../filters/aggregate-instance-extra-specs-filter.js';
import { AvailabilityZoneFilter } from '../filters/availability-zone-filter.js';
import { ComputeCapabilitiesFilter } from '../filters/compute-capabilities-filter.js';
import { ComputeFilter } from '../filters/compute-filter.js';
import { CoreFilter } from '../filters/core-filter.js';
import { DifferentHostFilter } from '../filters/different-host-filter.js';
import { DiskFilter } from '../filters/disk-filter.js';
import { ImagePropertiesFilter } from '../filters/image-properties-filter.js';
import { IoOpsFilter } from '../filters/io-ops-filter.js';
import { JsonFilter } from '../filters/json-filter.js';
import { MetricsFilter } from '../filters/metrics-filter.js';
import { NUMATopologyFilter } from '../filters/numa-topology-filter.js';
import { NumInstancesFilter } from '../filters/num-instances-filter.js';
import { PciPassthroughFilter } from '../filters/pci-passthrough-filter.js';
import { RamFilter } from '../filters/ram-filter.js';
import { SameHostFilter } from '../filters/same-host-filter.js';
import { ServerGroupAffinityFilter } from '../filters/server-group-affinity-filter.js';
import { ServerGroupAntiAffinityFilter } from '../filters/server-group-anti-affinity-filter.js';
import { SimpleCIDRAffinityFilter } from '../filters/simple-cidr-affinity-filter.js';
import { instanceNumaRequest } from '../numa-fit.js';
import { isRebuild } from '../request-spec-hints.js';
import type { FleetState } from './fleet-state.js';

/** Keeps the candidate slots `cand[0…n)` that pass, compacted in place, and returns how many. */
export type FilterKernel = (fleet: FleetState, cand: Int32Array, n: number) => number;

/** The kernel of one filter for one request, or null when it passes every host for this request. */
export function filterKernel(filter: HostFilter, spec: RequestSpec): FilterKernel | null {
  if (isRebuild(spec) && !filter.runOnRebuild) return null;
  const ctor = filter.constructor;
  const column = COLUMN_KERNELS.get(ctor);
  if (column) return column(filter, spec);
  const noop = NOOP_WHEN.get(ctor);
  if (noop?.(filter, spec)) return null;
  return genericKernel(filter, spec);
}

/** Any filter, through its `hostPasses` on the fleet's host objects. */
function genericKernel(filter: HostFilter, spec: RequestSpec): FilterKernel {
  return (fleet, cand, n) => {
    let k = 0;
    for (let i = 0; i < n; i++) {
      const s = cand[i]!;
      if (filter.hostPasses(fleet.hostAt(s)!, spec)) cand[k++] = s;
    }
    return k;
  };
}

type KernelBuilder = (filter: HostFilter, spec: RequestSpec) => FilterKernel | null;
const ratioOf = (f: HostFilter): number | null => (f as unknown as { ratio: number | null }).ratio;

/** Filters whose test reads only numeric columns: a tight loop over typed arrays. */
const COLUMN_KERNELS = new Map<unknown, KernelBuilder>([
  [ComputeFilter, () => (fleet, cand, n) => {
    const ok = fleet.column('serviceOk');
    let k = 0;
    for (let i = 0; i < n; i++) {
      const s = cand[i]!;
      if (ok[s] === 1) cand[k++] = s;
    }
    return k;
  }],
  [RamFilter, (f, spec) => {
    const req = spec.flavor.memoryMb;
    const fixed = ratioOf(f);
    return (fleet, cand, n) => {
      const total = fleet.column('totalUsableRamMb');
      const free = fleet.column('freeRamMb');
      const ratio = fleet.column('ramAllocationRatio');
      let k = 0;
      for (let i = 0; i < n; i++) {
        const s = cand[i]!;
        const t = total[s]!;
        if (!(t >= req)) continue;
        if (t * (fixed ?? ratio[s]!) - (t - free[s]!) >= req) cand[k++] = s;
      }
      return k;
    };
  }],
  [CoreFilter, (f, spec) => {
    const want = spec.flavor.vcpus;
    const fixed = ratioOf(f);
    return (fleet, cand, n) => {
      const total = fleet.column('vcpusTotal');
      const used = fleet.column('vcpusUsed');
      const ratio = fleet.column('cpuAllocationRatio');
      let k = 0;
      for (let i = 0; i < n; i++) {
        const s = cand[i]!;
        const t = total[s]!;
        if (!t) {
          cand[k++] = s;
          continue;
        }
        const limit = t * (fixed ?? ratio[s]!);
        if (limit > 0 && want > t) continue;
        if (!(limit - used[s]! < want)) cand[k++] = s;
      }
      return k;
    };
  }],
  [DiskFilter, (f, spec) => {
    const fl = spec.flavor;
    const req = 1024 * (fl.rootGb + fl.ephemeralGb) + fl.swapMb;
    const fixed = ratioOf(f);
    return (fleet, cand, n) => {
      const totalGb = fleet.column('totalUsableDiskGb');
      const free = fleet.column('freeDiskMb');
      const ratio = fleet.column('diskAllocationRatio');
      let k = 0;
      for (let i = 0; i < n; i++) {
        const s = cand[i]!;
        const t = totalGb[s]! * 1024;
        if (t < req) continue;
        if (t * (fixed ?? ratio[s]!) - (t - free[s]!) >= req) cand[k++] = s;
      }
      return k;
    };
  }],
  [NumInstancesFilter, (f) => {
    const max = (f as unknown as { maxInstancesPerHost: number }).maxInstancesPerHost;
    return lessThan('numInstances', max);
  }],
  [IoOpsFilter, (f) => {
    const max = (f as unknown as { maxIoOpsPerHost: number }).maxIoOpsPerHost;
    return lessThan('numIoOps', max);
  }],
]);

function lessThan(column: 'numInstances' | 'numIoOps', max: number): FilterKernel {
  return (fleet, cand, n) => {
    const col = fleet.column(column);
    let k = 0;
    for (let i = 0; i < n; i++) {
      const s = cand[i]!;
      if (col[s]! < max) cand[k++] = s;
    }
    return k;
  };
}

const hasHint = (spec: RequestSpec, name: string) => (spec.schedulerHints?.[name]?.length ?? 0) > 0;

/** Filters that let every host pass for some requests (no hint, no group, …): skipped then. */
const NOOP_WHEN = new Map<unknown, (f: HostFilter, spec: RequestSpec) => boolean>([
  [AllHostsFilter, () => true],
  [ComputeCapabilitiesFilter, (_f, spec) => Object.keys(spec.flavor.extraSpecs ?? {}).every((k) => k.includes(':') && !k.startsWith('capabilities:'))],
  [ImagePropertiesFilter, (f, spec) => {
    const p = spec.image?.properties ?? {};
    const defaultArch = (f as unknown as { defaultArchitecture: string | null }).defaultArchitecture;
    return !p['hw_architecture'] && !defaultArch && !p['img_hv_type'] && !p['hw_vm_mode'];
  }],
  [ServerGroupAffinityFilter, (_f, spec) => spec.instanceGroup?.policy !== 'affinity' || spec.instanceGroup.hosts.length === 0],
  [ServerGroupAntiAffinityFilter, (_f, spec) => spec.instanceGroup?.policy !== 'anti-affinity'],
  [AvailabilityZoneFilter, (_f, spec) => !spec.availabilityZone],
  [AggregateInstanceExtraSpecsFilter, (_f, spec) => Object.keys(spec.flavor.extraSpecs ?? {}).length === 0],
  [SameHostFilter, (_f, spec) => !hasHint(spec, 'same_host')],
  [DifferentHostFilter, (_f, spec) => !hasHint(spec, 'different_host')],
  [SimpleCIDRAffinityFilter, (_f, spec) => !hasHint(spec, 'build_near_host_ip')],
  [JsonFilter, (_f, spec) => !hasHint(spec, 'query')],
  [PciPassthroughFilter, (_f, spec) => !spec.pciRequests?.length],
  [NUMATopologyFilter, (_f, spec) => instanceNumaRequest(spec) === null],
  [MetricsFilter, (f) => (f as unknown as { keys: string[] }).keys.length === 0],
]);
