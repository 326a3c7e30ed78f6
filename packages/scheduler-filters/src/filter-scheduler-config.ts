/**
 * Nova's `[filter_scheduler]` options (plus the `[metrics]` ones the metrics filter and weigher
 * read), camel-cased. Every field has Nova's default in {@link defaultFilterSchedulerConfig}.
 */
export interface FilterSchedulerConfig {
  /** Filters by name, run in this order. */
  enabledFilters: string[];
  /** Weighers by name, summed in this order (Nova's `weight_classes`; all ten by default). */
  weighers: string[];
  /** Choose at random among the best N hosts (1 = always the best). */
  hostSubsetSize: number;
  /** Shuffle the hosts tied for the best weight before picking (Nova's option, default false). */
  shuffleBestSameWeighedHosts: boolean;
  maxInstancesPerHost: number;
  maxIoOpsPerHost: number;
  ramWeightMultiplier: number;
  cpuWeightMultiplier: number;
  diskWeightMultiplier: number;
  ioOpsWeightMultiplier: number;
  pciWeightMultiplier: number;
  buildFailureWeightMultiplier: number;
  softAffinityWeightMultiplier: number;
  softAntiAffinityWeightMultiplier: number;
  crossCellMoveWeightMultiplier: number;
  isolatedImages: string[];
  isolatedHosts: string[];
  restrictIsolatedHostsToIsolatedImages: boolean;
  aggregateImagePropertiesIsolationNamespace: string | null;
  aggregateImagePropertiesIsolationSeparator: string;
  imagePropertiesDefaultArchitecture: string | null;
  /** The zone of hosts in no zone aggregate (Nova's `[DEFAULT] default_availability_zone`). */
  defaultAvailabilityZone: string;
  /**
   * Allocation ratios the resource filters use instead of the host-reported ones when set
   * (Nova's `cpu_allocation_ratio`, …); per-aggregate `*_allocation_ratio` metadata still wins
   * in the Aggregate* variants.
   */
  cpuAllocationRatio: number | null;
  ramAllocationRatio: number | null;
  diskAllocationRatio: number | null;
  metrics: {
    /** `name=ratio` pairs, Nova's `[metrics] weight_setting`. */
    weightSetting: string[];
    weightMultiplier: number;
    weightOfUnavailable: number;
    required: boolean;
  };
}

/** Nova Zed's default filters. */
export const NOVA_DEFAULT_FILTERS: readonly string[] = [
  'ComputeFilter',
  'ComputeCapabilitiesFilter',
  'ImagePropertiesFilter',
  'ServerGroupAntiAffinityFilter',
  'ServerGroupAffinityFilter',
];

/**
 * Nubo's default filters: Nova's plus the resource filters, since Nubo has no placement
 * service to pre-select hosts with room for the flavor.
 */
export const NUBO_DEFAULT_FILTERS: readonly string[] = [
  'AvailabilityZoneFilter',
  'ComputeFilter',
  'RamFilter',
  'CoreFilter',
  'DiskFilter',
  ...NOVA_DEFAULT_FILTERS.slice(1),
];

/** All ten weighers of Nova Zed, in the order Nova's loader returns them. */
export const NOVA_ALL_WEIGHERS: readonly string[] = [
  'CrossCellWeigher',
  'MetricsWeigher',
  'CPUWeigher',
  'BuildFailureWeigher',
  'ServerGroupSoftAffinityWeigher',
  'ServerGroupSoftAntiAffinityWeigher',
  'RAMWeigher',
  'DiskWeigher',
  'PCIWeigher',
  'IoOpsWeigher',
];

/** Nova Zed's defaults, with {@link NUBO_DEFAULT_FILTERS} enabled. */
export function defaultFilterSchedulerConfig(): FilterSchedulerConfig {
  return {
    enabledFilters: [...NUBO_DEFAULT_FILTERS],
    weighers: [...NOVA_ALL_WEIGHERS],
    hostSubsetSize: 1,
    shuffleBestSameWeighedHosts: false,
    maxInstancesPerHost: 50,
    maxIoOpsPerHost: 8,
    ramWeightMultiplier: 1.0,
    cpuWeightMultiplier: 1.0,
    diskWeightMultiplier: 1.0,
    ioOpsWeightMultiplier: -1.0,
    pciWeightMultiplier: 1.0,
    buildFailureWeightMultiplier: 1000000.0,
    softAffinityWeightMultiplier: 1.0,
    softAntiAffinityWeightMultiplier: 1.0,
    crossCellMoveWeightMultiplier: 1000000.0,
    isolatedImages: [],
    isolatedHosts: [],
    restrictIsolatedHostsToIsolatedImages: true,
    aggregateImagePropertiesIsolationNamespace: null,
    aggregateImagePropertiesIsolationSeparator: '.',
    imagePropertiesDefaultArchitecture: null,
    defaultAvailabilityZone: 'nova',
    cpuAllocationRatio: null,
    ramAllocationRatio: null,
    diskAllocationRatio: null,
    metrics: { weightSetting: [], weightMultiplier: 1.0, weightOfUnavailable: -10000.0, required: true },
  };
}

/** Deep-enough merge of a partial config over the defaults. */
export function resolveFilterSchedulerConfig(partial: Partial<FilterSchedulerConfig> = {}): FilterSchedulerConfig {
  const base = defaultFilterSchedulerConfig();
  return { ...base, ...partial, metrics: { ...base.metrics, ...(partial.metrics ?? {}) } };
}
