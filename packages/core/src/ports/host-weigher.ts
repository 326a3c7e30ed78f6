import type { HostState, RequestSpec } from './host-state.js';

/**
 * One scheduler weigher, Nova's `BaseHostWeigher`. The pipeline takes each weigher's raw
 * values across the candidate hosts, scales them to 0…1 (using `minval`/`maxval` when set),
 * multiplies by `multiplier(host)` and sums; the highest total wins.
 */
export interface HostWeigher {
  readonly name: string;
  readonly minval?: number;
  readonly maxval?: number;
  /** The configured multiplier, possibly overridden per host by aggregate metadata. */
  multiplier(host: HostState): number;
  weigh(host: HostState, spec: RequestSpec): number;
}
