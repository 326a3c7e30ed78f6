import type { HostFilter } from '@nubo/core';
import type { FilterSchedulerConfig } from '../filter-scheduler-config.js';
import { AggregateCoreFilter } from './aggregate-core-filter.js';
import { AggregateDiskFilter } from './aggregate-disk-filter.js';
import { AggregateImagePropertiesIsolation } from './aggregate-image-properties-isolation.js';
import { AggregateInstanceExtraSpecsFilter } from './aggregate-instance-extra-specs-filter.js';
import { AggregateIoOpsFilter } from './aggregate-io-ops-filter.js';
import { AggregateMultiTenancyIsolation } from './aggregate-multi-tenancy-isolation.js';
import { AggregateNumInstancesFilter } from './aggregate-num-instances-filter.js';
import { AggregateRamFilter } from './aggregate-ram-filter.js';
import { AggregateTypeAffinityFilter } from './aggregate-type-affinity-filter.js';
import { AllHostsFilter } from './all-hosts-filter.js';
import { AvailabilityZoneFilter } from './availability-zone-filter.js';
import { ComputeCapabilitiesFilter } from './compute-capabilities-filter.js';
import { ComputeFilter } from './compute-filter.js';
import { CoreFilter } from './core-filter.js';
import { DifferentHostFilter } from './different-host-filter.js';
import { DiskFilter } from './disk-filter.js';
import { ImagePropertiesFilter } from './image-properties-filter.js';
import { IoOpsFilter } from './io-ops-filter.js';
import { IsolatedHostsFilter } from './isolated-hosts-filter.js';
import { JsonFilter } from './json-filter.js';
import { MetricsFilter } from './metrics-filter.js';
import { NUMATopologyFilter } from './numa-topology-filter.js';
import { NumInstancesFilter } from './num-instances-filter.js';
import { PciPassthroughFilter } from './pci-passthrough-filter.js';
import { RamFilter } from './ram-filter.js';
import { SameHostFilter } from './same-host-filter.js';
import { ServerGroupAffinityFilter } from './server-group-affinity-filter.js';
import { ServerGroupAntiAffinityFilter } from './server-group-anti-affinity-filter.js';
import { SimpleCIDRAffinityFilter } from './simple-cidr-affinity-filter.js';

/** Builds a filter from the scheduler configuration. */
export type HostFilterFactory = (config: FilterSchedulerConfig) => HostFilter;

/** Every filter Nubo ships, by the name used in `enabledFilters` (Nova's class names). */
export const BUILTIN_FILTERS: Readonly<Record<string, HostFilterFactory>> = {
  AggregateImagePropertiesIsolation: (c) =>
    new AggregateImagePropertiesIsolation(c.aggregateImagePropertiesIsolationNamespace, c.aggregateImagePropertiesIsolationSeparator),
  AggregateInstanceExtraSpecsFilter: () => new AggregateInstanceExtraSpecsFilter(),
  AggregateIoOpsFilter: (c) => new AggregateIoOpsFilter(c.maxIoOpsPerHost),
  AggregateMultiTenancyIsolation: () => new AggregateMultiTenancyIsolation(),
  AggregateNumInstancesFilter: (c) => new AggregateNumInstancesFilter(c.maxInstancesPerHost),
  AggregateTypeAffinityFilter: () => new AggregateTypeAffinityFilter(),
  AllHostsFilter: () => new AllHostsFilter(),
  AvailabilityZoneFilter: (c) => new AvailabilityZoneFilter(c.defaultAvailabilityZone),
  ComputeCapabilitiesFilter: () => new ComputeCapabilitiesFilter(),
  ComputeFilter: () => new ComputeFilter(),
  DifferentHostFilter: () => new DifferentHostFilter(),
  ImagePropertiesFilter: (c) => new ImagePropertiesFilter(c.imagePropertiesDefaultArchitecture),
  IoOpsFilter: (c) => new IoOpsFilter(c.maxIoOpsPerHost),
  IsolatedHostsFilter: (c) => new IsolatedHostsFilter(c.isolatedHosts, c.isolatedImages, c.restrictIsolatedHostsToIsolatedImages),
  JsonFilter: () => new JsonFilter(),
  MetricsFilter: (c) => new MetricsFilter(c.metrics.weightSetting),
  NUMATopologyFilter: () => new NUMATopologyFilter(),
  NumInstancesFilter: (c) => new NumInstancesFilter(c.maxInstancesPerHost),
  PciPassthroughFilter: () => new PciPassthroughFilter(),
  SameHostFilter: () => new SameHostFilter(),
  ServerGroupAffinityFilter: () => new ServerGroupAffinityFilter(),
  ServerGroupAntiAffinityFilter: () => new ServerGroupAntiAffinityFilter(),
  SimpleCIDRAffinityFilter: () => new SimpleCIDRAffinityFilter(),
  RamFilter: (c) => new RamFilter(c.ramAllocationRatio),
  AggregateRamFilter: (c) => new AggregateRamFilter(c.ramAllocationRatio),
  CoreFilter: (c) => new CoreFilter(c.cpuAllocationRatio),
  AggregateCoreFilter: (c) => new AggregateCoreFilter(c.cpuAllocationRatio),
  DiskFilter: (c) => new DiskFilter(c.diskAllocationRatio),
  AggregateDiskFilter: (c) => new AggregateDiskFilter(c.diskAllocationRatio),
};
