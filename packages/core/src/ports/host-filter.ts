import type { HostState, RequestSpec } from './host-state.js';

/**
 * One scheduler filter, Nova's `BaseHostFilter`: a pure predicate on one host for one request.
 * Must not mutate either argument. Third-party filters implement this and are listed by name
 * in the scheduler's `enabledFilters`.
 */
export interface HostFilter {
  readonly name: string;
  /** True when the result depends only on the request, so it may be computed once per request. */
  readonly runFilterOncePerRequest?: boolean;
  /**
   * True when the filter also runs for a rebuild on the same host (scheduler hint
   * `_nova_check_type: ['rebuild']`); others let every host pass then, as in Nova.
   */
  readonly runOnRebuild?: boolean;
  hostPasses(host: HostState, spec: RequestSpec): boolean;
}
