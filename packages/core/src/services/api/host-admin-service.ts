import { createHash } from 'node:crypto';
import { IsNull } from 'typeorm';
import { BadRequest, Conflict, NotFound } from '../../errors.js';
import type { ComputeNode } from '../../model/compute-node.js';
import type { RequestContext } from '../../model/request-context.js';
import { isServiceUp, type ServiceRecord } from '../../model/service-record.js';
import { ComputePolicy } from '../../policy/compute-policies.js';
import type { Database } from '../../persistence/database.js';
import { AggregateSchema, ComputeNodeSchema, InstanceSchema, ServiceSchema } from '../../persistence/schemas/index.js';
import type { PolicyEngine } from '../../ports/policy-engine.js';

/** A service as os-services shows it. `id` before 2.53, `uuid` from 2.53. */
export interface ServiceInfo {
  id: number;
  uuid: string;
  binary: string;
  host: string;
  zone: string;
  status: 'enabled' | 'disabled';
  state: 'up' | 'down';
  updatedAt: Date;
  disabledReason: string | null;
  forcedDown: boolean;
}

/** A hypervisor as os-hypervisors shows it. `id` before 2.53, `uuid` from 2.53. */
export interface HypervisorInfo {
  id: number;
  uuid: string;
  hypervisorHostname: string;
  state: 'up' | 'down';
  status: 'enabled' | 'disabled';
  hypervisorType: string;
  hypervisorVersion: number;
  hostIp: string;
  host: string;
  service: { id: number; uuid: string; host: string; disabledReason: string | null };
  vcpus: number;
  memoryMb: number;
  localGb: number;
  vcpusUsed: number;
  memoryMbUsed: number;
  localGbUsed: number;
  freeRamMb: number;
  freeDiskGb: number;
  currentWorkload: number;
  runningVms: number;
  diskAvailableLeast: number;
  /** JSON text, as the driver reported it. */
  cpuInfo: string;
  /** Only when asked for (with_servers / …/servers). */
  servers?: { name: string; uuid: string }[];
}

export interface HypervisorStatistics {
  count: number;
  vcpus: number;
  memoryMb: number;
  localGb: number;
  vcpusUsed: number;
  memoryMbUsed: number;
  localGbUsed: number;
  freeRamMb: number;
  freeDiskGb: number;
  currentWorkload: number;
  runningVms: number;
  diskAvailableLeast: number;
}

/** What PUT /os-services changes: status (with an optional reason) and/or forced_down. */
export interface ServiceUpdate {
  status?: 'enabled' | 'disabled';
  disabledReason?: string | null;
  forcedDown?: boolean;
}

export interface HostAdminOptions {
  serviceDownTimeSec: number;
  /** The zone shown for services that are not compute services (Nova's internal_service_availability_zone). */
  internalZone?: string;
}

const COMPUTE = 'nubo-compute';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A stable, name-based UUID (v5 layout) for rows that have none of their own. */
export function nameUuid(name: string): string {
  const h = createHash('sha1').update('nubo:').update(name).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** Accepts Nova's binary names (`nova-compute`) for ours (`nubo-compute`), so Nova's clients and habits work. */
export function canonicalBinary(binary: string): string {
  return binary.startsWith('nova-') ? `nubo-${binary.slice(5)}` : binary;
}

/**
 * os-hypervisors and os-services: the compute nodes and services of the cloud, with their
 * liveness (heartbeat within service_down_time, not forced down) and their enabled status.
 * Admin-only by default policy.
 */
export class HostAdminService {
  constructor(
    private readonly db: Database,
    private readonly policy: PolicyEngine,
    private readonly options: HostAdminOptions,
  ) {}

  async listServices(ctx: RequestContext, filter: { host?: string; binary?: string } = {}): Promise<ServiceInfo[]> {
    this.policy.enforce(ctx, ComputePolicy.services.list, {});
    let rows = await this.db.repo(ServiceSchema).find({ order: { id: 'ASC' } });
    if (filter.host) rows = rows.filter((s) => s.host === filter.host);
    if (filter.binary) rows = rows.filter((s) => s.binary === canonicalBinary(filter.binary!));
    const now = new Date();
    return rows.map((s) => this.serviceInfo(s, now));
  }

  /** Updates the compute service on `host` (before 2.53: PUT /os-services/{enable,disable,…} with host and binary). */
  async updateServiceByHost(ctx: RequestContext, host: string, binary: string, update: ServiceUpdate): Promise<ServiceInfo> {
    this.policy.enforce(ctx, ComputePolicy.services.update, {});
    if (typeof host !== 'string' || typeof binary !== 'string') throw new BadRequest('host and binary are required.');
    const bin = canonicalBinary(binary);
    if (bin !== COMPUTE) throw new BadRequest(`Updating a ${binary} service is not supported. Only nova-compute services can be updated.`);
    const svc = await this.db.repo(ServiceSchema).findOneBy({ host, binary: bin });
    if (!svc) throw new NotFound(`Service ${binary} on host ${host} could not be found.`);
    return this.applyUpdate(svc, update);
  }

  /** Updates a service by its id (2.53+: its UUID; an integer id is accepted too). */
  async updateService(ctx: RequestContext, serviceId: string, update: ServiceUpdate): Promise<ServiceInfo> {
    if (typeof serviceId !== 'string' || !UUID.test(serviceId)) throw new BadRequest(`Invalid uuid ${serviceId}`);
    this.policy.enforce(ctx, ComputePolicy.services.update, {});
    const svc = await this.findService(serviceId);
    if (svc.binary !== COMPUTE) throw new BadRequest(`Updating a ${svc.binary} service is not supported. Only nova-compute services can be updated.`);
    if (update.status === undefined && update.forcedDown === undefined) {
      throw new BadRequest("No updates were requested. Fields 'status' or 'forced_down' should be specified.");
    }
    return this.applyUpdate(svc, update);
  }

  /** Deletes a service record; a compute service still hosting instances is refused (409). */
  async deleteService(ctx: RequestContext, serviceId: string): Promise<void> {
    this.policy.enforce(ctx, ComputePolicy.services.delete, {});
    if (typeof serviceId !== 'string' || !(UUID.test(serviceId) || /^\d+$/.test(serviceId))) {
      throw new BadRequest(`Invalid uuid ${serviceId}`);
    }
    const svc = await this.findService(serviceId);
    await this.db.transaction(async (tx) => {
      if (svc.binary === COMPUTE) {
        if ((await tx.getRepository(InstanceSchema).countBy({ host: svc.host, deletedAt: IsNull() })) > 0) {
          throw new Conflict('Unable to delete compute service that is hosting instances. Migrate or delete the instances first.');
        }
        await tx.getRepository(ComputeNodeSchema).delete({ host: svc.host });
        for (const agg of await tx.getRepository(AggregateSchema).find()) {
          if (agg.hosts.includes(svc.host)) await tx.getRepository(AggregateSchema).update({ id: agg.id }, { hosts: agg.hosts.filter((h) => h !== svc.host) });
        }
      }
      await tx.getRepository(ServiceSchema).delete({ id: svc.id });
    });
  }

  async listHypervisors(ctx: RequestContext, options: { detail?: boolean; hostnamePattern?: string; withServers?: boolean; limit?: number; marker?: string } = {}): Promise<HypervisorInfo[]> {
    this.policy.enforce(ctx, options.detail ? ComputePolicy.hypervisors.detail : ComputePolicy.hypervisors.list, {});
    let all = await this.hypervisors();
    if (options.hostnamePattern !== undefined) {
      all = all.filter((h) => h.hypervisorHostname.includes(options.hostnamePattern!));
      if (all.length === 0) throw new NotFound(`No hypervisor matching '${options.hostnamePattern}' could be found.`);
    }
    if (options.marker !== undefined) {
      const at = all.findIndex((h) => h.uuid === options.marker || String(h.id) === options.marker);
      if (at < 0) throw new BadRequest(`marker [${options.marker}] not found`);
      all = all.slice(at + 1);
    }
    if (options.limit !== undefined) {
      if (!Number.isInteger(options.limit) || options.limit < 0) throw new BadRequest('limit param must be an integer');
      all = all.slice(0, options.limit);
    }
    if (options.withServers) await this.attachServers(all);
    return all;
  }

  /** One hypervisor by its id (integer before 2.53) or UUID. */
  async getHypervisor(ctx: RequestContext, id: string, options: { withServers?: boolean } = {}): Promise<HypervisorInfo> {
    this.policy.enforce(ctx, ComputePolicy.hypervisors.show, {});
    const found = (await this.hypervisors()).find((h) => h.uuid === id || String(h.id) === id);
    if (!found) throw new NotFound(`Hypervisor with ID '${id}' could not be found.`);
    if (options.withServers) await this.attachServers([found]);
    return found;
  }

  /** Sums over the compute nodes of enabled compute services, as Nova's compute_node_statistics. */
  async statistics(ctx: RequestContext): Promise<HypervisorStatistics> {
    this.policy.enforce(ctx, ComputePolicy.hypervisors.statistics, {});
    const stats: HypervisorStatistics = {
      count: 0, vcpus: 0, memoryMb: 0, localGb: 0, vcpusUsed: 0, memoryMbUsed: 0, localGbUsed: 0,
      freeRamMb: 0, freeDiskGb: 0, currentWorkload: 0, runningVms: 0, diskAvailableLeast: 0,
    };
    for (const h of await this.hypervisors()) {
      if (h.status === 'disabled') continue;
      stats.count++;
      for (const k of Object.keys(stats) as (keyof HypervisorStatistics)[]) if (k !== 'count') stats[k] += h[k];
    }
    return stats;
  }

  private async hypervisors(): Promise<HypervisorInfo[]> {
    const nodes = await this.db.repo(ComputeNodeSchema).find({ order: { hypervisorHostname: 'ASC' } });
    const services = await this.db.repo(ServiceSchema).findBy({ binary: COMPUTE });
    const byHost = new Map(services.map((s) => [s.host, s]));
    const workload = await this.db.repo(InstanceSchema).createQueryBuilder('i')
      .select('i.host', 'host').addSelect('COUNT(*)', 'n')
      .where('i.deletedAt IS NULL AND i.taskState IS NOT NULL').groupBy('i.host')
      .getRawMany<{ host: string | null; n: unknown }>();
    const busy = new Map(workload.map((w) => [w.host, Number(w.n)]));
    const now = new Date();
    const out: HypervisorInfo[] = [];
    for (const n of nodes) {
      const svc = byHost.get(n.host);
      if (!svc) continue; // a node whose service was deleted is not shown, as in Nova
      out.push(this.hypervisorInfo(n, svc, busy.get(n.host) ?? 0, now));
    }
    return out.sort((a, b) => a.id - b.id || a.hypervisorHostname.localeCompare(b.hypervisorHostname));
  }

  private hypervisorInfo(n: ComputeNode, svc: ServiceRecord, currentWorkload: number, now: Date): HypervisorInfo {
    return {
      // One node per compute service here: the node takes its service's integer id.
      id: svc.id,
      uuid: nameUuid(`compute-node:${n.hypervisorHostname}`),
      hypervisorHostname: n.hypervisorHostname,
      state: isServiceUp(svc, now, this.options.serviceDownTimeSec) ? 'up' : 'down',
      status: svc.disabled ? 'disabled' : 'enabled',
      hypervisorType: n.hypervisorType,
      hypervisorVersion: n.hypervisorVersion,
      hostIp: n.hostIp,
      host: n.host,
      service: { id: svc.id, uuid: serviceUuid(svc), host: svc.host, disabledReason: svc.disabledReason },
      vcpus: n.vcpus,
      memoryMb: n.memoryMb,
      localGb: n.localGb,
      vcpusUsed: n.vcpusUsed,
      memoryMbUsed: n.memoryMbUsed,
      localGbUsed: n.localGbUsed,
      freeRamMb: n.memoryMb - n.memoryMbUsed,
      freeDiskGb: n.localGb - n.localGbUsed,
      currentWorkload,
      runningVms: n.runningVms,
      diskAvailableLeast: n.localGb - n.localGbUsed,
      cpuInfo: n.cpuInfo,
    };
  }

  private async attachServers(hypervisors: HypervisorInfo[]): Promise<void> {
    for (const h of hypervisors) {
      const rows = await this.db.repo(InstanceSchema).find({
        select: { uuid: true, name: true }, where: { host: h.host, node: h.hypervisorHostname, deletedAt: IsNull() }, order: { createdAt: 'ASC' },
      });
      const onHost = rows.length > 0 ? rows : await this.db.repo(InstanceSchema).find({
        select: { uuid: true, name: true }, where: { host: h.host, node: IsNull(), deletedAt: IsNull() }, order: { createdAt: 'ASC' },
      });
      h.servers = onHost.map((i) => ({ name: i.name, uuid: i.uuid }));
    }
  }

  private async findService(serviceId: string): Promise<ServiceRecord> {
    const rows = await this.db.repo(ServiceSchema).find();
    const svc = rows.find((s) => serviceUuid(s) === serviceId.toLowerCase() || String(s.id) === serviceId);
    if (!svc) throw new NotFound(`Service ${serviceId} could not be found.`);
    return svc;
  }

  private async applyUpdate(svc: ServiceRecord, update: ServiceUpdate): Promise<ServiceInfo> {
    const values: Partial<ServiceRecord> = {};
    if (update.status !== undefined) {
      if (update.status !== 'enabled' && update.status !== 'disabled') throw new BadRequest(`Invalid status ${String(update.status)}.`);
      if (update.status === 'enabled') {
        if (update.disabledReason) throw new BadRequest("Specifying 'disabled_reason' with status 'enabled' is invalid.");
        values.disabled = false;
        values.disabledReason = null;
      } else {
        const reason = update.disabledReason ?? null;
        if (reason !== null && (typeof reason !== 'string' || reason.length < 1 || reason.length > 255)) {
          throw new BadRequest('Invalid input for field/attribute disabled_reason.');
        }
        values.disabled = true;
        values.disabledReason = reason;
      }
    }
    if (update.forcedDown !== undefined) {
      if (typeof update.forcedDown !== 'boolean') throw new BadRequest('Invalid input for field/attribute forced_down.');
      values.forcedDown = update.forcedDown;
    }
    if (Object.keys(values).length > 0) await this.db.repo(ServiceSchema).update({ id: svc.id }, values);
    return this.serviceInfo({ ...svc, ...values }, new Date());
  }

  private serviceInfo(s: ServiceRecord, now: Date): ServiceInfo {
    return {
      id: s.id,
      uuid: serviceUuid(s),
      binary: s.binary,
      host: s.host,
      zone: s.binary === COMPUTE ? s.availabilityZone : (this.options.internalZone ?? 'internal'),
      status: s.disabled ? 'disabled' : 'enabled',
      state: isServiceUp(s, now, this.options.serviceDownTimeSec) ? 'up' : 'down',
      updatedAt: s.lastSeenAt,
      disabledReason: s.disabledReason,
      forcedDown: s.forcedDown,
    };
  }
}

function serviceUuid(s: Pick<ServiceRecord, 'binary' | 'host'>): string {
  return nameUuid(`service:${s.binary}:${s.host}`);
}
