import type { HostWeigher } from '@nubo/core';
import type { FleetState } from './fleet-state.js';

/**
 * Every weigher's multiplier for every host, by slot, re-read only for the hosts written since
 * the last refresh (a multiplier depends on the host's aggregates, which change rarely).
 */
export class WeigherMultipliers {
  private readonly bySlot: Float64Array[] = [];
  private cursor = 0;

  constructor(private readonly fleet: FleetState, private readonly weighers: readonly HostWeigher[]) {}

  /** The multipliers of weigher `wi`, by slot; call `refresh` first. */
  of(wi: number): Float64Array {
    return this.bySlot[wi]!;
  }

  refresh(): void {
    const fleet = this.fleet;
    const { slots, all, cursor } = fleet.changesSince(this.cursor);
    this.cursor = cursor;
    if (this.bySlot.length === 0 || this.bySlot[0]!.length < fleet.slotCount) {
      const size = Math.max(fleet.slotCount, 64) * 2;
      this.weighers.forEach((_, wi) => {
        const bigger = new Float64Array(size);
        if (this.bySlot[wi]) bigger.set(this.bySlot[wi]!);
        this.bySlot[wi] = bigger;
      });
    }
    const reread = (s: number) => {
      const h = fleet.hostAt(s);
      if (!h) return;
      for (let wi = 0; wi < this.weighers.length; wi++) this.bySlot[wi]![s] = this.weighers[wi]!.multiplier(h);
    };
    if (all) for (let s = 0; s < fleet.slotCount; s++) reread(s);
    else for (let i = 0; i < slots.length; i++) reread(slots[i]!);
  }
}
