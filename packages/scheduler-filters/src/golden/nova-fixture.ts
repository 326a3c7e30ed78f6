import type { Aggregate, HostState, RequestSpec } from '@nubo/core';
import { resolveFilterSchedulerConfig, type FilterSchedulerConfig } from '../filter-scheduler-config.js';

/** One compute node of a fixture made by the anchors' `nova_scheduler_bench.py golden`. */
export interface NovaFixtureHost {
  host: string;
  node: string;
  total_usable_ram_mb: number;
  free_ram_mb: number;
  total_usable_disk_gb: number;
  disk_mb_used: number;
  free_disk_mb: number;
  vcpus_total: number;
  vcpus_used: number;
  ram_allocation_ratio: number;
  cpu_allocation_ratio: number;
  disk_allocation_ratio: number;
  num_instances: number;
  num_io_ops: number;
  failed_builds: number;
  host_ip: string;
  hypervisor_type: string;
  hypervisor_version: number;
  supported_instances: [string, string, string][];
  stats: Record<string, string>;
  service: { disabled: boolean; forced_down: boolean };
  aggregates: number[];
  instances: string[];
}

/** One request of a fixture. */
export interface NovaFixtureRequest {
  project_id: string;
  flavor: { name: string; memory_mb: number; root_gb: number; ephemeral_gb: number; swap: number; vcpus: number; extra_specs: Record<string, string> };
  image: { properties: Record<string, string> };
  availability_zone: string | null;
  scheduler_hints: Record<string, string | string[]>;
  instance_group: { policy: 'affinity' | 'anti-affinity' | 'soft-affinity' | 'soft-anti-affinity'; hosts: string[]; members: string[] } | null;
}

export interface NovaFixtureCase {
  request: NovaFixtureRequest;
  passed: string[];
  weighed: { host: string; weight: number }[];
}

/** The whole fixture: Nova's options, the fleet and the cases with Nova's answers. */
export interface NovaFixture {
  source?: string;
  config: {
    enabled_filters: string[];
    weighers: string[];
    default_availability_zone: string;
    max_instances_per_host: number;
    max_io_ops_per_host: number;
    ram_weight_multiplier: number;
    cpu_weight_multiplier: number;
    disk_weight_multiplier: number;
    io_ops_weight_multiplier: number;
    build_failure_weight_multiplier: number;
    soft_affinity_weight_multiplier: number;
    soft_anti_affinity_weight_multiplier: number;
    service_down_time: number;
  };
  aggregates: { id: number; name: string; metadata: Record<string, string>; hosts: string[] }[];
  hosts: NovaFixtureHost[];
  cases: NovaFixtureCase[];
}

/** The scheduler configuration the fixture was made with. */
export function fixtureConfig(f: NovaFixture): FilterSchedulerConfig {
  const c = f.config;
  return resolveFilterSchedulerConfig({
    enabledFilters: c.enabled_filters,
    weighers: c.weighers,
    defaultAvailabilityZone: c.default_availability_zone,
    maxInstancesPerHost: c.max_instances_per_host,
    maxIoOpsPerHost: c.max_io_ops_per_host,
    ramWeightMultiplier: c.ram_weight_multiplier,
    cpuWeightMultiplier: c.cpu_weight_multiplier,
    diskWeightMultiplier: c.disk_weight_multiplier,
    ioOpsWeightMultiplier: c.io_ops_weight_multiplier,
    buildFailureWeightMultiplier: c.build_failure_weight_multiplier,
    softAffinityWeightMultiplier: c.soft_affinity_weight_multiplier,
    softAntiAffinityWeightMultiplier: c.soft_anti_affinity_weight_multiplier,
  });
}

/** The fleet as host states, in the fixture's order (which breaks ties between equal weights). */
export function fixtureHostStates(f: NovaFixture, now = new Date()): HostState[] {
  const aggregates = new Map<number, Aggregate>(
    f.aggregates.map((a) => [a.id, { id: a.id, name: a.name, metadata: { ...a.metadata }, hosts: [...a.hosts] }]),
  );
  return f.hosts.map((h) => ({
    host: h.host,
    node: h.node,
    totalUsableRamMb: h.total_usable_ram_mb,
    freeRamMb: h.free_ram_mb,
    totalUsableDiskGb: h.total_usable_disk_gb,
    freeDiskMb: h.free_disk_mb,
    diskMbUsed: h.disk_mb_used,
    vcpusTotal: h.vcpus_total,
    vcpusUsed: h.vcpus_used,
    cpuAllocationRatio: h.cpu_allocation_ratio,
    ramAllocationRatio: h.ram_allocation_ratio,
    diskAllocationRatio: h.disk_allocation_ratio,
    numInstances: h.num_instances,
    numIoOps: h.num_io_ops,
    failedBuilds: h.failed_builds,
    hostIp: h.host_ip,
    hypervisorType: h.hypervisor_type,
    hypervisorVersion: h.hypervisor_version,
    supportedInstances: h.supported_instances.map((t) => [t[0], t[1], t[2]] as [string, string, string]),
    stats: { ...h.stats },
    serviceDisabled: h.service.disabled,
    // forced_down in a fixture means: marked down and silent for an hour.
    serviceUp: !h.service.forced_down,
    aggregates: h.aggregates.map((id) => aggregates.get(id)!).filter(Boolean),
    instances: new Set(h.instances),
    metrics: {},
    updatedAt: now,
  }));
}

/** A fixture request as a RequestSpec (scalar hints become one-element lists, as in Nova). */
export function fixtureRequestSpec(r: NovaFixtureRequest, instanceUuid = '00000000-0000-4000-8000-000000000000'): RequestSpec {
  const hints: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(r.scheduler_hints ?? {})) hints[k] = Array.isArray(v) ? v.map(String) : [String(v)];
  return {
    instanceUuid,
    projectId: r.project_id,
    userId: 'user',
    flavor: {
      name: r.flavor.name,
      memoryMb: r.flavor.memory_mb,
      rootGb: r.flavor.root_gb,
      ephemeralGb: r.flavor.ephemeral_gb,
      swapMb: r.flavor.swap,
      vcpus: r.flavor.vcpus,
      extraSpecs: { ...r.flavor.extra_specs },
    },
    image: { id: null, properties: { ...r.image.properties } },
    availabilityZone: r.availability_zone,
    schedulerHints: hints,
    instanceGroup: r.instance_group
      ? { policy: r.instance_group.policy, hosts: [...r.instance_group.hosts], members: [...r.instance_group.members] }
      : null,
    ignoreHosts: [],
    numInstances: 1,
  };
}
