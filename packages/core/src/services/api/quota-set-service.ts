import { BadRequest } from '../../errors.js';
import { QUOTA_RESOURCES, type QuotaLimits, type QuotaResource } from '../../model/quota.js';
import type { RequestContext } from '../../model/request-context.js';
import { ComputePolicy } from '../../policy/compute-policies.js';
import type { Database } from '../../persistence/database.js';
import { KeyPairSchema } from '../../persistence/schemas/index.js';
import type { PolicyEngine } from '../../ports/policy-engine.js';
import type { QuotaDetail, QuotaEngine } from '../../ports/quota-engine.js';

/** What an admin may send to PUT /os-quota-sets/{project}: limits as integers or integer strings, and `force`. */
export type QuotaSetUpdate = Partial<Record<QuotaResource, number | string>> & { force?: boolean | string };

const MAX_INT = 0x7fffffff;
const KNOWN = new Set<string>(QUOTA_RESOURCES);

/**
 * os-quota-sets: a project's limits, the defaults, limits with usage, and the admin's update
 * and reset. A non-admin sees only their own project's quotas (403 for any other).
 */
export class QuotaSetService {
  constructor(
    private readonly db: Database,
    private readonly policy: PolicyEngine,
    private readonly quotas: QuotaEngine,
    /** Tells whether a project exists; quotas of an unknown project are refused with 400, as Nova does. */
    private readonly projectExists: (projectId: string) => Promise<boolean> = async () => true,
  ) {}

  async show(ctx: RequestContext, projectId: string): Promise<QuotaLimits> {
    this.policy.enforce(ctx, ComputePolicy.quotaSets.show, { project_id: projectId });
    await this.verifyProject(projectId);
    return this.quotas.getLimits(projectId);
  }

  async defaults(ctx: RequestContext, projectId: string): Promise<QuotaLimits> {
    this.policy.enforce(ctx, ComputePolicy.quotaSets.defaults, { project_id: projectId });
    await this.verifyProject(projectId);
    return this.quotas.getDefaults();
  }

  /** Limits with usage (`in_use`, `reserved` — always 0: there are no reservations). */
  async detail(ctx: RequestContext, projectId: string): Promise<Record<QuotaResource, QuotaDetail>> {
    this.policy.enforce(ctx, ComputePolicy.quotaSets.detail, { project_id: projectId });
    await this.verifyProject(projectId);
    const detail = await this.quotas.getDetail(projectId);
    // Key pairs belong to users: count the caller's when they look at their own project.
    if (projectId === ctx.projectId) detail.key_pairs = { ...detail.key_pairs, inUse: await this.db.repo(KeyPairSchema).countBy({ userId: ctx.userId }) };
    return detail;
  }

  /**
   * Sets limits (admin). Without `force`, a limit below what the project already uses is
   * refused. Every value is checked before anything is written.
   */
  async update(ctx: RequestContext, projectId: string, body: QuotaSetUpdate): Promise<QuotaLimits> {
    this.policy.enforce(ctx, ComputePolicy.quotaSets.update, { project_id: projectId });
    await this.verifyProject(projectId);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('Invalid input: a quota_set object is required.');
    if ('networks' in body) throw new BadRequest('The networks quota has been removed');
    const force = parseBool(body.force ?? false);
    const limits: Partial<QuotaLimits> = {};
    for (const [key, raw] of Object.entries(body)) {
      if (key === 'force') continue;
      if (!KNOWN.has(key)) throw new BadRequest(`Invalid input for field/attribute quota_set. Additional properties are not allowed ('${key}' was unexpected)`);
      limits[key as QuotaResource] = parseLimit(key, raw);
    }
    if (!force) {
      const detail = await this.quotas.getDetail(projectId);
      for (const [key, value] of Object.entries(limits) as [QuotaResource, number][]) {
        const used = detail[key].inUse + detail[key].reserved;
        if (value !== -1 && value < used) {
          throw new BadRequest(`Quota limit ${value} for ${key} must be greater than or equal to already used and reserved ${used}.`);
        }
      }
    }
    return this.quotas.setLimits(projectId, limits);
  }

  /** Back to the defaults (DELETE /os-quota-sets/{project}). */
  async reset(ctx: RequestContext, projectId: string): Promise<void> {
    this.policy.enforce(ctx, ComputePolicy.quotaSets.delete, { project_id: projectId });
    await this.verifyProject(projectId);
    await this.quotas.resetLimits(projectId);
  }

  private async verifyProject(projectId: string): Promise<void> {
    if (typeof projectId !== 'string' || projectId.length === 0 || projectId.length > 64 || !(await this.projectExists(projectId))) {
      throw new BadRequest(`Project ID ${projectId} is not a valid project.`);
    }
  }
}

function parseLimit(key: string, raw: unknown): number {
  const n = typeof raw === 'string' && /^-?[0-9]+$/.test(raw) ? Number(raw) : raw;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new BadRequest(`Invalid input for field/attribute ${key}. Value: ${JSON.stringify(raw)}. It must be an integer.`);
  }
  if (n < -1) throw new BadRequest(`Invalid input for field/attribute ${key}. Value: ${n}. ${n} is less than the minimum of -1`);
  if (n > MAX_INT) throw new BadRequest(`Invalid input for field/attribute ${key}. Value: ${n}. ${n} is greater than the maximum of ${MAX_INT}`);
  return n;
}

function parseBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string' && /^(true|false|1|0|yes|no|on|off|y|n|t|f)$/i.test(v)) return /^(true|1|yes|on|y|t)$/i.test(v);
  throw new BadRequest(`Invalid input for field/attribute force. Value: ${JSON.stringify(v)}. It must be a boolean.`);
}
