import { IsNull } from 'typeorm';
import type { ComputeNode } from '../../model/compute-node.js';
import { footprintOf, type InstanceSize } from '../../model/instance.js';
import { isServiceUp, type ServiceRecord } from '../../model/service-record.js';
import type { Database } from '../../persistence/database.js';
import { AggregateSchema, ComputeNodeSchema, InstanceSchema, ServiceSchema } from '../../persistence/schemas/index.js';
import type { Aggregate, HostState, RequestSpec } from '../../ports/host-state.js';

/** An admin disabling a service is seen by the scheduler within this long. */
const SERVICES_MAX_AGE_MS = 1000;

/**
 * The scheduler's picture of the fleet (Nova's HostManager): loaded from the database,
 * then kept current by compute nodes' reports and by the scheduler's own claims, so that
 * two requests in a row do not both take the last free slot of one host.
 */
export class HostStateCache {
  private readonly hosts = new Map<string, HostState>();
  private services = new Map<string, ServiceRecord>();
  private loadedAt = 0;
  private servicesLoadedAt = 0;

  constructor(private readonly db: Database, private readonly options: { serviceDownTimeSec: number; fullRefreshMs: number }) {}

  /** Current candidates, with service liveness re-read (an admin may have just disabled one). */
  async candidates(now = new Date()): Promise<HostState[]> {
    if (Date.now() - this.loadedAt > this.options.fullRefreshMs) await this.reload();
    else if (Date.now() - this.servicesLoadedAt > SERVICES_MAX_AGE_MS || this.hasHostWithoutService()) await this.reloadServices();
    const out: HostState[] = [];
    for (const h of this.hosts.values()) {
      const svc = this.services.get(h.host);
      h.serviceDisabled = svc ? svc.disabled : true;
      h.serviceUp = svc ? isServiceUp(svc, now, this.options.serviceDownTimeSec) : false;
      out.push(h);
    }
    return out;
  }

  /**
   * Re-reads everything from the database unless that was done within `minAgeMs`; true when
   * it did. The scheduler calls this before answering "no valid host", so a host that has
   * just registered (its report still on the bus) is not missed.
   */
  async refreshIfOlderThan(minAgeMs: number): Promise<boolean> {
    if (Date.now() - this.loadedAt < minAgeMs) return false;
    await this.reload();
    return true;
  }

  private hasHostWithoutService(): boolean {
    for (const h of this.hosts.values()) if (!this.services.has(h.host)) return true;
    return false;
  }

  async reload(): Promise<void> {
    const [nodes, aggregates, instances] = await Promise.all([
      this.db.repo(ComputeNodeSchema).find(),
      this.db.repo(AggregateSchema).find(),
      this.db.repo(InstanceSchema).find({
        select: { uuid: true, host: true, memoryMb: true, vcpus: true, rootGb: true, ephemeralGb: true, swapMb: true },
        where: { deletedAt: IsNull() },
      }),
    ]);
    const byHost = new Map<string, InstanceSize[]>();
    for (const i of instances) if (i.host) (byHost.get(i.host) ?? byHost.set(i.host, []).get(i.host)!).push(i);
    this.hosts.clear();
    for (const n of nodes) {
      const onHost = byHost.get(n.host) ?? [];
      this.hosts.set(n.hypervisorHostname, toHostState(withPlacedInstances(n, onHost), onHost.map((i) => i.uuid), aggregates));
    }
    await this.reloadServices();
    this.loadedAt = Date.now();
  }

  private async reloadServices(): Promise<void> {
    const rows = await this.db.repo(ServiceSchema).findBy({ binary: 'nubo-compute' });
    this.services = new Map(rows.map((s) => [s.host, s]));
    this.servicesLoadedAt = Date.now();
  }

  /** A compute node's fresh report replaces what the scheduler knew of it, claims included. */
  update(node: ComputeNode, instanceUuids: string[]): void {
    const aggregates = this.hosts.get(node.hypervisorHostname)?.aggregates ?? [];
    this.hosts.set(node.hypervisorHostname, toHostState(node, instanceUuids, aggregates, true));
  }

  /** Claims the request's resources on the chosen host (Nova's consume_from_request). */
  consume(host: HostState, spec: RequestSpec): void {
    const f = spec.flavor;
    // As Nova's consume_from_request: swap is checked by DiskFilter but not claimed here.
    const diskMb = 1024 * (f.rootGb + f.ephemeralGb);
    host.freeRamMb -= f.memoryMb;
    host.freeDiskMb -= diskMb;
    host.diskMbUsed += diskMb;
    host.vcpusUsed += f.vcpus;
    host.numInstances += 1;
    host.numIoOps += 1;
    host.instances.add(spec.instanceUuid);
  }
}

/**
 * A node's usage is at least what the instances placed on it take: its last report may predate
 * the newest placements (as Nova's placement allocations, the database's placements count).
 */
function withPlacedInstances(n: ComputeNode, placed: readonly InstanceSize[]): ComputeNode {
  const { memoryMb, vcpus, diskMb } = footprintOf(placed);
  return {
    ...n,
    memoryMbUsed: Math.max(n.memoryMbUsed, memoryMb),
    vcpusUsed: Math.max(n.vcpusUsed, vcpus),
    localGbUsed: Math.max(n.localGbUsed, Math.ceil(diskMb / 1024)),
    runningVms: Math.max(n.runningVms, placed.length),
  };
}

function toHostState(n: ComputeNode, instances: string[], aggregates: Aggregate[], keepAggregates = false): HostState {
  return {
    host: n.host,
    node: n.hypervisorHostname,
    totalUsableRamMb: n.memoryMb,
    freeRamMb: n.memoryMb - n.memoryMbUsed,
    totalUsableDiskGb: n.localGb,
    freeDiskMb: (n.localGb - n.localGbUsed) * 1024,
    diskMbUsed: n.localGbUsed * 1024,
    vcpusTotal: n.vcpus,
    vcpusUsed: n.vcpusUsed,
    cpuAllocationRatio: n.cpuAllocationRatio,
    ramAllocationRatio: n.ramAllocationRatio,
    diskAllocationRatio: n.diskAllocationRatio,
    numInstances: n.runningVms,
    numIoOps: 0,
    failedBuilds: 0,
    hostIp: n.hostIp,
    hypervisorType: n.hypervisorType,
    hypervisorVersion: n.hypervisorVersion,
    supportedInstances: [],
    stats: {},
    serviceDisabled: false,
    serviceUp: true,
    aggregates: keepAggregates ? aggregates : aggregates.filter((a) => a.hosts.includes(n.host)),
    instances: new Set(instances),
    metrics: {},
    updatedAt: n.updatedAt,
  };
}
