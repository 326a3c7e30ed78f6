import { Brackets } from 'typeorm';
import { BadRequest } from '../../errors.js';
import type { Instance } from '../../model/instance.js';
import type { RequestContext } from '../../model/request-context.js';
import { ComputePolicy } from '../../policy/compute-policies.js';
import type { Database } from '../../persistence/database.js';
import { FlavorSchema, InstanceSchema } from '../../persistence/schemas/index.js';
import type { PolicyEngine } from '../../ports/policy-engine.js';

/** One server's share of a period (Nova's server_usages item). */
export interface ServerUsage {
  instanceId: string;
  name: string;
  tenantId: string;
  flavor: string;
  hours: number;
  memoryMb: number;
  localGb: number;
  vcpus: number;
  startedAt: Date;
  endedAt: Date | null;
  /** The vm_state, or `terminated` once the server is gone. */
  state: string;
  /** Seconds since launch (to termination for a terminated server). */
  uptime: number;
}

/** One project's totals over a period (Nova's tenant_usage). */
export interface TenantUsage {
  tenantId: string;
  start: Date;
  stop: Date;
  totalHours: number;
  totalVcpusUsage: number;
  totalMemoryMbUsage: number;
  totalLocalGbUsage: number;
  /** Present when detailed (always for one project). */
  serverUsages?: ServerUsage[];
}

export interface UsagePeriod {
  start?: Date;
  end?: Date;
  /** List only: include each project's server_usages. */
  detailed?: boolean;
}

/**
 * os-simple-tenant-usage: what each project's servers used over a period, in hours, vCPU
 * hours, MB·hours of RAM and GB·hours of disk. Counts every server that ran during the
 * period, deleted ones included. The end of the period is capped at now.
 */
export class UsageService {
  constructor(
    private readonly db: Database,
    private readonly policy: PolicyEngine,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Every project's usage (admin). */
  async list(ctx: RequestContext, period: UsagePeriod = {}): Promise<TenantUsage[]> {
    this.policy.enforce(ctx, ComputePolicy.simpleTenantUsage.list, {});
    const { start, stop } = this.period(period);
    return this.usages(start, stop, undefined, period.detailed ?? false);
  }

  /** One project's usage, with its servers. Members see their own project only. Null when nothing ran. */
  async show(ctx: RequestContext, projectId: string, period: UsagePeriod = {}): Promise<TenantUsage | null> {
    this.policy.enforce(ctx, ComputePolicy.simpleTenantUsage.show, { project_id: projectId });
    if (typeof projectId !== 'string' || projectId.length === 0 || projectId.length > 64) throw new BadRequest('Invalid tenant id.');
    const { start, stop } = this.period(period);
    return (await this.usages(start, stop, projectId, true))[0] ?? null;
  }

  private period(p: UsagePeriod): { start: Date; stop: Date } {
    const now = this.clock();
    const start = p.start ?? now;
    let stop = p.end ?? now;
    for (const d of [start, stop]) if (!(d instanceof Date) || Number.isNaN(d.getTime())) throw new BadRequest('Invalid input received: Datetime is in invalid format');
    if (!(start < stop)) throw new BadRequest('Invalid start time. The start time cannot occur after the end time.');
    if (stop > now) stop = now;
    return { start, stop };
  }

  private async usages(start: Date, stop: Date, projectId: string | undefined, detailed: boolean): Promise<TenantUsage[]> {
    const qb = this.db.repo(InstanceSchema).createQueryBuilder('i')
      .where('i.launchedAt IS NOT NULL AND i.launchedAt < :stop', { stop: stop.getTime() })
      .andWhere(new Brackets((w) => w.where('i.terminatedAt IS NULL').orWhere('i.terminatedAt > :start', { start: start.getTime() })))
      .andWhere(new Brackets((w) => w.where('i.deletedAt IS NULL').orWhere('i.deletedAt > :start', { start: start.getTime() })))
      .orderBy('i.createdAt', 'ASC').addOrderBy('i.uuid', 'ASC');
    if (projectId !== undefined) qb.andWhere('i.projectId = :projectId', { projectId });
    const instances = await qb.getMany();
    const names = new Map((await this.db.repo(FlavorSchema).find({ select: { id: true, name: true } })).map((f) => [f.id, f.name]));
    const now = this.clock();
    const byProject = new Map<string, TenantUsage>();
    for (const i of instances) {
      const u = serverUsage(i, start, stop, now, names.get(i.flavorId) ?? '');
      let t = byProject.get(i.projectId);
      if (!t) {
        t = { tenantId: i.projectId, start, stop, totalHours: 0, totalVcpusUsage: 0, totalMemoryMbUsage: 0, totalLocalGbUsage: 0 };
        if (detailed) t.serverUsages = [];
        byProject.set(i.projectId, t);
      }
      t.totalHours += u.hours;
      t.totalVcpusUsage += u.vcpus * u.hours;
      t.totalMemoryMbUsage += u.memoryMb * u.hours;
      t.totalLocalGbUsage += u.localGb * u.hours;
      t.serverUsages?.push(u);
    }
    return [...byProject.values()];
  }
}

function endOf(i: Instance): Date | null {
  return i.terminatedAt ?? i.deletedAt;
}

function serverUsage(i: Instance, periodStart: Date, periodStop: Date, now: Date, flavor: string): ServerUsage {
  const launched = i.launchedAt!;
  const ended = endOf(i);
  const from = Math.max(launched.getTime(), periodStart.getTime());
  const to = ended ? Math.min(periodStop.getTime(), ended.getTime()) : periodStop.getTime();
  return {
    instanceId: i.uuid, name: i.name, tenantId: i.projectId, flavor,
    hours: Math.max(0, to - from) / 3_600_000,
    memoryMb: i.memoryMb, localGb: i.rootGb + i.ephemeralGb, vcpus: i.vcpus,
    startedAt: launched, endedAt: ended,
    state: ended ? 'terminated' : i.vmState,
    uptime: Math.floor(((ended ?? now).getTime() - launched.getTime()) / 1000),
  };
}
