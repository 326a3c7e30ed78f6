import type { HostWeigher } from '@nubo/core';
import type { FilterSchedulerConfig } from '../filter-scheduler-config.js';
import { BuildFailureWeigher } from './build-failure-weigher.js';
import { CPUWeigher } from './cpu-weigher.js';
import { CrossCellWeigher } from './cross-cell-weigher.js';
import { DiskWeigher } from './disk-weigher.js';
import { IoOpsWeigher } from './io-ops-weigher.js';
import { MetricsWeigher } from './metrics-weigher.js';
import { PCIWeigher } from './pci-weigher.js';
import { RAMWeigher } from './ram-weigher.js';
import { ServerGroupSoftAffinityWeigher } from './server-group-soft-affinity-weigher.js';
import { ServerGroupSoftAntiAffinityWeigher } from './server-group-soft-anti-affinity-weigher.js';

/** Builds a weigher from the scheduler configuration. */
export type HostWeigherFactory = (config: FilterSchedulerConfig) => HostWeigher;

/** Every weigher Nubo ships, by the name used in `weighers` (Nova's class names). */
export const BUILTIN_WEIGHERS: Readonly<Record<string, HostWeigherFactory>> = {
  CrossCellWeigher: (c) => new CrossCellWeigher(c.crossCellMoveWeightMultiplier),
  MetricsWeigher: (c) => new MetricsWeigher(c.metrics),
  CPUWeigher: (c) => new CPUWeigher(c.cpuWeightMultiplier),
  BuildFailureWeigher: (c) => new BuildFailureWeigher(c.buildFailureWeightMultiplier),
  ServerGroupSoftAffinityWeigher: (c) => new ServerGroupSoftAffinityWeigher(c.softAffinityWeightMultiplier),
  ServerGroupSoftAntiAffinityWeigher: (c) => new ServerGroupSoftAntiAffinityWeigher(c.softAntiAffinityWeightMultiplier),
  RAMWeigher: (c) => new RAMWeigher(c.ramWeightMultiplier),
  DiskWeigher: (c) => new DiskWeigher(c.diskWeightMultiplier),
  PCIWeigher: (c) => new PCIWeigher(c.pciWeightMultiplier),
  IoOpsWeigher: (c) => new IoOpsWeigher(c.ioOpsWeightMultiplier),
};
