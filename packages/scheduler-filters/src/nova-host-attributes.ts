import type { HostState } from '@nubo/core';

/**
 * A host's attributes under the names Nova's `HostState` gives them, for the filters that let
 * users name attributes (ComputeCapabilitiesFilter's extra specs, JsonFilter's `$variable`).
 * `undefined` from an accessor means the attribute exists but is unset (Nova's `None`).
 */
const ATTRIBUTES: Record<string, (h: HostState) => unknown> = {
  host: (h) => h.host,
  nodename: (h) => h.node,
  hypervisor_hostname: (h) => h.node,
  total_usable_ram_mb: (h) => h.totalUsableRamMb,
  free_ram_mb: (h) => h.freeRamMb,
  total_usable_disk_gb: (h) => h.totalUsableDiskGb,
  free_disk_mb: (h) => h.freeDiskMb,
  disk_mb_used: (h) => h.diskMbUsed,
  vcpus_total: (h) => h.vcpusTotal,
  vcpus_used: (h) => h.vcpusUsed,
  cpu_allocation_ratio: (h) => h.cpuAllocationRatio,
  ram_allocation_ratio: (h) => h.ramAllocationRatio,
  disk_allocation_ratio: (h) => h.diskAllocationRatio,
  num_instances: (h) => h.numInstances,
  num_io_ops: (h) => h.numIoOps,
  failed_builds: (h) => h.failedBuilds,
  host_ip: (h) => h.hostIp,
  hypervisor_type: (h) => h.hypervisorType,
  hypervisor_version: (h) => h.hypervisorVersion,
  supported_instances: (h) => h.supportedInstances,
  stats: (h) => h.stats,
  metrics: (h) => h.metrics,
  cell_uuid: (h) => h.cellUuid,
  uuid: () => undefined,
  cpu_info: () => undefined,
  numa_topology: (h) => h.numaTopology,
  pci_stats: (h) => h.pciStats,
  limits: () => ({}),
  updated: (h) => h.updatedAt,
  instances: (h) => Object.fromEntries([...h.instances].map((u) => [u, u])),
  aggregates: (h) => h.aggregates,
};

/** Attributes Nova holds as floats (`str()` prints them as `16.0`). */
export const NOVA_FLOAT_ATTRIBUTES: ReadonlySet<string> = new Set([
  'cpu_allocation_ratio',
  'ram_allocation_ratio',
  'disk_allocation_ratio',
]);

/** Whether Nova's HostState has an attribute of that name (`hasattr`). */
export function hasNovaAttribute(name: string): boolean {
  return Object.prototype.hasOwnProperty.call(ATTRIBUTES, name);
}

/** `getattr(host_state, name, None)`: the value, or undefined when absent or unset. */
export function novaAttribute(host: HostState, name: string): unknown {
  const get = Object.prototype.hasOwnProperty.call(ATTRIBUTES, name) ? ATTRIBUTES[name] : undefined;
  const v = get ? get(host) : undefined;
  return v === null ? undefined : v;
}
