import type { HostState } from '../../../ports/host-state.js';
import type { HostWeigher } from '../../../ports/host-weigher.js';

/** Prefers hosts with more free RAM (spreading); a negative multiplier stacks instead. */
export class RamWeigher implements HostWeigher {
  readonly name = 'RAMWeigher';
  constructor(private readonly ramWeightMultiplier = 1.0) {}
  multiplier(): number {
    return this.ramWeightMultiplier;
  }
  weigh(host: HostState): number {
    return host.freeRamMb;
  }
}
