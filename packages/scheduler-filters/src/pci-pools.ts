import type { PciDevicePool, PciRequest } from '@nubo/core';

function poolProperty(pool: PciDevicePool, key: string): string | undefined {
  if (key === 'vendor_id') return pool.vendorId;
  if (key === 'product_id') return pool.productId;
  return pool.tags?.[key];
}

/** Whether a pool's devices match one spec of a request (every property equal; `*` matches any). */
export function poolMatches(pool: PciDevicePool, spec: Record<string, string>): boolean {
  return Object.entries(spec).every(([k, v]) => v === '*' || poolProperty(pool, k) === v);
}

/**
 * Whether the pools can serve every request in turn, each consuming devices from the pools
 * that match it (on a copy: the check never consumes), as Nova's `PciDeviceStats.support_requests`.
 */
export function pciRequestsFit(pools: readonly PciDevicePool[], requests: readonly PciRequest[]): boolean {
  const counts = pools.map((p) => p.count);
  for (const request of requests) {
    const matching = pools.map((p, i) => (request.spec.some((s) => poolMatches(p, s)) ? i : -1)).filter((i) => i >= 0);
    let need = request.count;
    if (matching.reduce((sum, i) => sum + counts[i]!, 0) < need) return false;
    for (const i of matching) {
      const take = Math.min(need, counts[i]!);
      counts[i]! -= take;
      need -= take;
      if (need === 0) break;
    }
  }
  return true;
}
