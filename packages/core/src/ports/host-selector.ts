import type { HostState, RequestSpec } from './host-state.js';

/**
 * Chooses hosts for a request among the candidates: filters, then weighers. Returns the
 * passing hosts best first; the scheduler takes the first and keeps the next ones as
 * alternates for a reschedule. Implementations may keep their own data layout for speed.
 */
export interface HostSelector {
  select(spec: RequestSpec, hosts: readonly HostState[]): HostState[];
}
