import type { HostFilter, HostState, RequestSpec } from '@nubo/core';
import { pciRequestsFit } from '../pci-pools.js';

/** Passes hosts whose free PCI device pools can satisfy every PCI request of the instance. */
export class PciPassthroughFilter implements HostFilter {
  readonly name = 'PciPassthroughFilter';
  hostPasses(host: HostState, spec: RequestSpec): boolean {
    const requests = spec.pciRequests ?? [];
    if (requests.length === 0) return true;
    if (!host.pciStats || host.pciStats.length === 0) return false;
    return pciRequestsFit(host.pciStats, requests);
  }
}
