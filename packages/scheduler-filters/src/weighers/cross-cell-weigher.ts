import type { HostState, HostWeigher, RequestSpec } from '@nubo/core';
import { weightMultiplier } from './weight-multiplier.js';

/**
 * For a cross-cell move, prefers hosts in the requested (source) cell: 1 inside it, -1
 * elsewhere, 0 for every other request. Override: `cross_cell_move_weight_multiplier`.
 */
export class CrossCellWeigher implements HostWeigher {
  readonly name = 'CrossCellWeigher';
  constructor(private readonly configured = 1000000.0) {}
  multiplier(host: HostState): number {
    return weightMultiplier(host, 'cross_cell_move_weight_multiplier', this.configured);
  }
  weigh(host: HostState, spec: RequestSpec): number {
    const dest = spec.requestedDestination;
    if (!dest?.cellUuid || !dest.allowCrossCellMove) return 0;
    return host.cellUuid === dest.cellUuid ? 1 : -1;
  }
}
