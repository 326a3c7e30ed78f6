import { defaultFilterSchedulerConfig } from '../filter-scheduler-config.js';
import { BUILTIN_FILTERS } from '../filters/filter-registry.js';
import { BUILTIN_WEIGHERS } from '../weighers/weigher-registry.js';

const config = defaultFilterSchedulerConfig();
const PURE = new Set<unknown>([
  ...Object.values(BUILTIN_FILTERS).map((make) => make(config).constructor),
  ...Object.values(BUILTIN_WEIGHERS).map((make) => make(config).constructor),
]);

/**
 * Whether a filter or weigher is one of Nubo's own, whose answer depends only on the request
 * and the host state (so a previous answer for an unchanged host can be reused).
 */
export function isPureBuiltin(x: object): boolean {
  return PURE.has(x.constructor);
}
