import type { RequestContext } from '../../model/request-context.js';
import { isServiceUp } from '../../model/service-record.js';
import { ComputePolicy } from '../../policy/compute-policies.js';
import type { Database } from '../../persistence/database.js';
import { ServiceSchema } from '../../persistence/schemas/index.js';
import type { PolicyEngine } from '../../ports/policy-engine.js';

/** One zone of os-availability-zone. `hosts` only in the detailed (admin) view of an available zone. */
export interface AvailabilityZoneInfo {
  zoneName: string;
  available: boolean;
  /** host → binary → liveness; null when not detailed or the zone is not available. */
  hosts: Record<string, Record<string, { available: boolean; active: boolean; updatedAt: Date }>> | null;
}

export interface AvailabilityZoneOptions {
  serviceDownTimeSec: number;
  /** The zone of non-compute services, never listed (Nova's internal_service_availability_zone). */
  internalZone?: string;
}

/**
 * Availability zones, from the zones the compute services report: a zone with an enabled
 * compute service is available; one whose compute services are all disabled is not.
 */
export class AvailabilityZoneService {
  constructor(
    private readonly db: Database,
    private readonly policy: PolicyEngine,
    private readonly options: AvailabilityZoneOptions,
  ) {}

  async list(ctx: RequestContext): Promise<AvailabilityZoneInfo[]> {
    this.policy.enforce(ctx, ComputePolicy.availabilityZone.list, {});
    const { available, unavailable } = await this.zones();
    return [
      ...available.map((zoneName) => ({ zoneName, available: true, hosts: null })),
      ...unavailable.map((zoneName) => ({ zoneName, available: false, hosts: null })),
    ];
  }

  /** Admin view: each available zone with its hosts and their enabled services. */
  async detail(ctx: RequestContext): Promise<AvailabilityZoneInfo[]> {
    this.policy.enforce(ctx, ComputePolicy.availabilityZone.detail, {});
    const { available, unavailable, services } = await this.zones();
    const now = new Date();
    const internal = this.options.internalZone ?? 'internal';
    const result: AvailabilityZoneInfo[] = available.map((zoneName) => {
      const hosts: NonNullable<AvailabilityZoneInfo['hosts']> = {};
      for (const s of services) {
        if (s.disabled || zoneOf(s, internal) !== zoneName) continue;
        (hosts[s.host] ??= {})[s.binary] = {
          available: isServiceUp(s, now, this.options.serviceDownTimeSec), active: !s.disabled, updatedAt: s.lastSeenAt,
        };
      }
      return { zoneName, available: true, hosts };
    });
    return [...result, ...unavailable.map((zoneName) => ({ zoneName, available: false, hosts: null }))];
  }

  /**
   * The zones a server may be created in (those with an enabled compute service), for the
   * compute API's own check: no policy, the caller is the cloud itself.
   */
  async availableZoneNames(): Promise<string[]> {
    return (await this.zones()).available;
  }

  private async zones() {
    const services = await this.db.repo(ServiceSchema).find({ order: { id: 'ASC' } });
    const compute = services.filter((s) => s.binary === 'nubo-compute');
    const available = unique(compute.filter((s) => !s.disabled).map((s) => s.availabilityZone));
    const unavailable = unique(compute.filter((s) => s.disabled).map((s) => s.availabilityZone)).filter((z) => !available.includes(z));
    return { available, unavailable, services };
  }
}

function zoneOf(s: { binary: string; availabilityZone: string }, internal: string): string {
  return s.binary === 'nubo-compute' ? s.availabilityZone : internal;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)].sort();
}
