import type { RequestContext } from '../../model/request-context.js';
import { ComputePolicy } from '../../policy/compute-policies.js';
import type { Database } from '../../persistence/database.js';
import { KeyPairSchema } from '../../persistence/schemas/index.js';
import type { PolicyEngine } from '../../ports/policy-engine.js';
import type { QuotaEngine } from '../../ports/quota-engine.js';

/** Nova's absolute limits, by their API names, with the usage of the counted ones. */
export interface AbsoluteLimits {
  maxTotalInstances: number;
  maxTotalCores: number;
  maxTotalRAMSize: number;
  maxTotalKeypairs: number;
  maxTotalFloatingIps: number;
  maxServerMeta: number;
  maxImageMeta: number;
  maxPersonality: number;
  maxPersonalitySize: number;
  maxServerGroups: number;
  maxServerGroupMembers: number;
  totalInstancesUsed: number;
  totalCoresUsed: number;
  totalRAMUsed: number;
  totalFloatingIpsUsed: number;
  totalServerGroupsUsed: number;
  /** Not a Nova field: the caller's key pairs (Nova counts them per user, and does not show it). */
  totalKeyPairsUsed: number;
}

/** GET /limits: the caller's project limits and usage; an admin may ask for another project's. */
export class LimitsService {
  constructor(
    private readonly db: Database,
    private readonly policy: PolicyEngine,
    private readonly quotas: QuotaEngine,
  ) {}

  async absolute(ctx: RequestContext, projectId?: string): Promise<AbsoluteLimits> {
    this.policy.enforce(ctx, ComputePolicy.limits.show, {});
    const project = projectId ?? ctx.projectId;
    if (projectId !== undefined) this.policy.enforce(ctx, ComputePolicy.limits.otherProject, { project_id: projectId });
    const d = await this.quotas.getDetail(project);
    return {
      maxTotalInstances: d.instances.limit,
      maxTotalCores: d.cores.limit,
      maxTotalRAMSize: d.ram.limit,
      maxTotalKeypairs: d.key_pairs.limit,
      maxTotalFloatingIps: d.floating_ips.limit,
      maxServerMeta: d.metadata_items.limit,
      maxImageMeta: d.metadata_items.limit,
      maxPersonality: d.injected_files.limit,
      maxPersonalitySize: d.injected_file_content_bytes.limit,
      maxServerGroups: d.server_groups.limit,
      maxServerGroupMembers: d.server_group_members.limit,
      totalInstancesUsed: d.instances.inUse,
      totalCoresUsed: d.cores.inUse,
      totalRAMUsed: d.ram.inUse,
      totalFloatingIpsUsed: d.floating_ips.inUse,
      totalServerGroupsUsed: d.server_groups.inUse,
      totalKeyPairsUsed: project === ctx.projectId ? await this.db.repo(KeyPairSchema).countBy({ userId: ctx.userId }) : 0,
    };
  }
}
