import { BadRequest, type HostFilter, type HostWeigher } from '@nubo/core';
import { resolveFilterSchedulerConfig, type FilterSchedulerConfig } from './filter-scheduler-config.js';
import { BUILTIN_FILTERS, type HostFilterFactory } from './filters/filter-registry.js';
import { FleetHostSelector, type FleetSelectorOptions } from './fast/fleet-host-selector.js';
import { PipelineHostSelector } from './pipeline/pipeline-host-selector.js';
import { BUILTIN_WEIGHERS, type HostWeigherFactory } from './weighers/weigher-registry.js';

/** Third-party filters and weighers, by the names that `enabledFilters`/`weighers` use. */
export interface SchedulerPlugins {
  filters?: Record<string, HostFilter | HostFilterFactory>;
  weighers?: Record<string, HostWeigher | HostWeigherFactory>;
}

function build<T>(kind: string, names: string[], builtins: Readonly<Record<string, (c: FilterSchedulerConfig) => T>>,
  plugins: Record<string, T | ((c: FilterSchedulerConfig) => T)> | undefined, config: FilterSchedulerConfig): T[] {
  return names.map((name) => {
    const plugin = plugins?.[name];
    if (plugin !== undefined) return typeof plugin === 'function' ? (plugin as (c: FilterSchedulerConfig) => T)(config) : plugin;
    const factory = builtins[name];
    if (!factory) throw new BadRequest(`Unknown scheduler ${kind} '${name}'.`);
    return factory(config);
  });
}

/** The filters of `config.enabledFilters`, in order; plugins shadow built-ins of the same name. */
export function createFilters(config: FilterSchedulerConfig, plugins: SchedulerPlugins = {}): HostFilter[] {
  return build('filter', config.enabledFilters, BUILTIN_FILTERS, plugins.filters, config);
}

/** The weighers of `config.weighers`, in order; plugins shadow built-ins of the same name. */
export function createWeighers(config: FilterSchedulerConfig, plugins: SchedulerPlugins = {}): HostWeigher[] {
  return build('weigher', config.weighers, BUILTIN_WEIGHERS, plugins.weighers, config);
}

/**
 * A `HostSelector` configured like Nova's `[filter_scheduler]`: unknown filter or weigher
 * names throw BadRequest up front.
 *
 * @example
 * createHostSelector({ enabledFilters: ['ComputeFilter', 'RamFilter'], ramWeightMultiplier: -1 })
 */
export function createHostSelector(
  config: Partial<FilterSchedulerConfig> = {},
  plugins: SchedulerPlugins = {},
  random: () => number = Math.random,
): PipelineHostSelector {
  const resolved = resolveFilterSchedulerConfig(config);
  return new PipelineHostSelector(createFilters(resolved, plugins), createWeighers(resolved, plugins), {
    hostSubsetSize: resolved.hostSubsetSize,
    shuffleBestSameWeighedHosts: resolved.shuffleBestSameWeighedHosts,
    random,
  });
}

/**
 * The fast selector for large fleets, configured the same way: keeps its own struct-of-arrays
 * host cache (`selector.fleet`) fed by `fleet.upsert` from compute reports and by claims
 * (`selectAndClaim`). Same decisions as {@link createHostSelector}.
 */
export function createFleetHostSelector(
  config: Partial<FilterSchedulerConfig> = {},
  plugins: SchedulerPlugins = {},
  options: Pick<FleetSelectorOptions, 'maxResults' | 'random' | 'cachedShapes'> = {},
): FleetHostSelector {
  const resolved = resolveFilterSchedulerConfig(config);
  return new FleetHostSelector(createFilters(resolved, plugins), createWeighers(resolved, plugins), {
    hostSubsetSize: resolved.hostSubsetSize,
    shuffleBestSameWeighedHosts: resolved.shuffleBestSameWeighedHosts,
    ...options,
  });
}
