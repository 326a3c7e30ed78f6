import type { HostState, HostWeigher } from '@nubo/core';
import { weightMultiplier } from './weight-multiplier.js';

const MAX_DEVS = 100;

/**
 * Keeps PCI hosts free until needed: hosts with fewer free PCI devices weigh more (capped at
 * 100 devices). Override: `pci_weight_multiplier`.
 */
export class PCIWeigher implements HostWeigher {
  readonly name = 'PCIWeigher';
  constructor(private readonly configured = 1.0) {}
  multiplier(host: HostState): number {
    return weightMultiplier(host, 'pci_weight_multiplier', this.configured);
  }
  weigh(host: HostState): number {
    let free = 0;
    for (const pool of host.pciStats ?? []) free += pool.count;
    return MAX_DEVS - Math.min(free, MAX_DEVS - 1);
  }
}
