import type { Aggregate, HostState, RequestSpec } from '@nubo/core';

let aggregateIds = 100;

/** An aggregate with the given metadata (hosts are attached by `host({ aggregates })`). */
export function aggregate(metadata: Record<string, string>, name = `agg${aggregateIds}`): Aggregate {
  return { id: aggregateIds++, name, metadata, hosts: [] };
}

/** A healthy, empty 16-vCPU / 32 GiB / 500 GiB qemu host; override what a test is about. */
export function host(overrides: Partial<HostState> = {}): HostState {
  return {
    host: 'host1',
    node: 'node1',
    totalUsableRamMb: 32768,
    freeRamMb: 32768,
    totalUsableDiskGb: 500,
    freeDiskMb: 500 * 1024,
    diskMbUsed: 0,
    vcpusTotal: 16,
    vcpusUsed: 0,
    cpuAllocationRatio: 16.0,
    ramAllocationRatio: 1.5,
    diskAllocationRatio: 1.0,
    numInstances: 0,
    numIoOps: 0,
    failedBuilds: 0,
    hostIp: '10.0.0.1',
    hypervisorType: 'qemu',
    hypervisorVersion: 6002000,
    supportedInstances: [['x86_64', 'qemu', 'hvm']],
    stats: {},
    serviceDisabled: false,
    serviceUp: true,
    aggregates: [],
    instances: new Set(),
    metrics: {},
    updatedAt: new Date(0),
    ...overrides,
  };
}

/** An m1.small request from project `p1`; override what a test is about. */
export function spec(overrides: Partial<RequestSpec> & { extraSpecs?: Record<string, string>; hints?: Record<string, string[]> } = {}): RequestSpec {
  const { extraSpecs, hints, ...rest } = overrides;
  return {
    instanceUuid: 'aaaaaaaa-0000-4000-8000-000000000001',
    projectId: 'p1',
    userId: 'u1',
    flavor: { name: 'm1.small', memoryMb: 2048, rootGb: 20, ephemeralGb: 0, swapMb: 0, vcpus: 1, extraSpecs: extraSpecs ?? {} },
    image: { id: null, properties: {} },
    availabilityZone: null,
    schedulerHints: hints ?? {},
    instanceGroup: null,
    ignoreHosts: [],
    numInstances: 1,
    ...rest,
  };
}

/** The request with a different flavor size. */
export function flavor(s: RequestSpec, f: Partial<RequestSpec['flavor']>): RequestSpec {
  return { ...s, flavor: { ...s.flavor, ...f } };
}
