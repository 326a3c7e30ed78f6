import type { FilterSchedulerConfig } from '../filter-scheduler-config.js';

/** One kind of host in a synthetic fleet. */
export interface WhatIfHostGroup {
  /** How many hosts of this kind. */
  count: number;
  vcpus: number;
  memoryMb: number;
  localGb: number;
  cpuAllocationRatio?: number;
  ramAllocationRatio?: number;
  diskAllocationRatio?: number;
  /** Aggregate metadata the hosts of this group share (availability_zone, ssd, …). */
  aggregateMetadata?: Record<string, string>;
}

/** A batch of identical boot requests. */
export interface WhatIfRequest {
  /** A default flavor name (m1.tiny … m1.xlarge) or an explicit size. */
  flavor: string | { name?: string; memoryMb: number; vcpus: number; rootGb: number; ephemeralGb?: number; swapMb?: number; extraSpecs?: Record<string, string> };
  count?: number;
  projectId?: string;
  availabilityZone?: string | null;
  /** Scheduler hints, each a list as in Nova. */
  hints?: Record<string, string[]>;
  /** Put the batch in one server group with this policy. */
  groupPolicy?: 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity';
}

/** A what-if run: a synthetic fleet, a scheduler configuration and the requests to replay in order. */
export interface WhatIfScenario {
  fleet: WhatIfHostGroup[];
  config?: Partial<FilterSchedulerConfig>;
  requests: WhatIfRequest[];
  /** Seed of the random pick among the best `hostSubsetSize` hosts (repeatable runs). */
  seed?: number;
}
