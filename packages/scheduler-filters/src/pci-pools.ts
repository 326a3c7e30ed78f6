import type { PciDevicePool, PciRequest } from '@nubo/core';

function poolProperty(pool: PciDevicePool, key: string): string | undefined {
  if (key === 'vendor_id') return pool.vendorId;
  if (key === 'product_id') return pool.productId;
  if (key === 'numa_node') return pool.numaNode === undefined || pool.numaNode === null ? undefined : String(pool.numaNode);
  return pool.tags?.[key];
}

/** Whether a pool's devices match one spec of a request: every property equal, case aside (Nova's `pci_device_prop_match`). */
export function poolMatches(pool: PciDevicePool, spec: Record<string, string>): boolean {
  return Object.entries(spec).every(([k, v]) => poolProperty(pool, k)?.toLowerCase() === v.toLowerCase());
}

const requests = (req: PciRequest, key: string, value: string) => req.spec.some((s) => s[key]?.toLowerCase() === value);

/**
 * The pools that may serve a request, as Nova's `_filter_pools`: matching the spec, and not
 * physical functions, vDPA devices or remote-managed devices unless the request asks for them.
 * Null when they hold fewer devices than requested.
 */
function poolsFor(pools: number[], all: readonly PciDevicePool[], counts: number[], req: PciRequest): number[] | null {
  const stages: ((i: number) => boolean)[] = [
    (i) => req.spec.some((s) => poolMatches(all[i]!, s)),
    (i) => requests(req, 'dev_type', 'type-pf') || poolProperty(all[i]!, 'dev_type') !== 'type-PF',
    (i) => requests(req, 'dev_type', 'vdpa') || poolProperty(all[i]!, 'dev_type') !== 'vdpa',
    (i) => requests(req, 'remote_managed', 'true') || poolProperty(all[i]!, 'remote_managed')?.toLowerCase() !== 'true',
  ];
  let kept = pools;
  for (const keep of stages) {
    kept = kept.filter(keep);
    if (kept.reduce((sum, i) => sum + counts[i]!, 0) < req.count) return null;
  }
  return kept;
}

/**
 * Whether the pools can serve every request in turn, each consuming devices from the pools
 * that may serve it (on a copy: the check never consumes), as Nova's
 * `PciDeviceStats.support_requests` without NUMA affinity.
 */
export function pciRequestsFit(pools: readonly PciDevicePool[], reqs: readonly PciRequest[]): boolean {
  return consumePci(pools, reqs) !== null;
}

/** The pool counts after serving the requests, or null when they cannot all be served. */
export function consumePci(pools: readonly PciDevicePool[], reqs: readonly PciRequest[]): number[] | null {
  const counts = pools.map((p) => p.count);
  const all = pools.map((_, i) => i);
  for (const req of reqs) {
    const usable = poolsFor(all, pools, counts, req);
    if (!usable) return null;
    let need = req.count;
    for (const i of usable) {
      const take = Math.min(need, counts[i]!);
      counts[i] = counts[i]! - take;
      need -= take;
      if (need === 0) break;
    }
  }
  return counts;
}
