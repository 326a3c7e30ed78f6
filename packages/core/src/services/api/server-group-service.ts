import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { In, IsNull } from 'typeorm';
import { BadRequest, NotFound, QuotaExceeded } from '../../errors.js';
import type { RequestContext } from '../../model/request-context.js';
import { ComputePolicy } from '../../policy/compute-policies.js';
import type { Database } from '../../persistence/database.js';
import { InstanceSchema, ServerGroupSchema, type ServerGroupRow } from '../../persistence/schemas/index.js';
import type { InstanceGroupSpec } from '../../ports/host-state.js';
import type { PolicyEngine } from '../../ports/policy-engine.js';
import type { QuotaEngine } from '../../ports/quota-engine.js';
import { checkPrintableName } from './flavor-service.js';

export const SERVER_GROUP_POLICIES = ['affinity', 'anti-affinity', 'soft-affinity', 'soft-anti-affinity'] as const;
export type ServerGroupPolicy = (typeof SERVER_GROUP_POLICIES)[number];

/** A server group as the API shows it: members are its servers that still exist. */
export interface ServerGroup {
  id: string;
  name: string;
  policy: ServerGroupPolicy;
  rules: { max_server_per_host?: number };
  members: string[];
  projectId: string;
  userId: string;
}

export interface CreateServerGroupInput {
  name: string;
  policy: ServerGroupPolicy;
  /** Only with anti-affinity: `max_server_per_host` (a positive integer). */
  rules?: Record<string, unknown>;
}

/** os-server-groups: groups of servers placed by an (anti-)affinity policy, limited by the server_groups quota. */
export class ServerGroupService {
  constructor(
    private readonly db: Database,
    private readonly policy: PolicyEngine,
    private readonly quotas: QuotaEngine,
  ) {}

  /** @throws BadRequest for a bad name, policy or rules; QuotaExceeded (403) "Quota exceeded, too many server groups." */
  async create(ctx: RequestContext, input: CreateServerGroupInput): Promise<ServerGroup> {
    this.policy.enforce(ctx, ComputePolicy.serverGroups.create, { project_id: ctx.projectId });
    if (typeof input !== 'object' || input === null) throw new BadRequest('Invalid input: a server_group body is required.');
    const name = checkPrintableName(input.name);
    if (!(SERVER_GROUP_POLICIES as readonly unknown[]).includes(input.policy)) {
      throw new BadRequest(`Invalid input for field/attribute policy. Value: ${String(input.policy)}. It must be one of ${SERVER_GROUP_POLICIES.join(', ')}.`);
    }
    const rules = checkRules(input.rules ?? {});
    if (input.policy !== 'anti-affinity' && Object.keys(rules).length > 0) throw new BadRequest('Only anti-affinity policy supports rules.');
    const row: ServerGroupRow = {
      uuid: randomUUID(), name, projectId: ctx.projectId, userId: ctx.userId, policy: input.policy, rules, members: [], createdAt: new Date(),
    };
    try {
      await this.quotas.enforce(ctx.projectId, { server_groups: 1 }, (tx) => (tx as EntityManager).getRepository(ServerGroupSchema).save(row));
    } catch (err) {
      if (err instanceof QuotaExceeded) throw new QuotaExceeded('Quota exceeded, too many server groups.', 403, err.details);
      throw err;
    }
    return this.view(row, []);
  }

  /** The caller's project's groups; an admin asking for all projects gets every group. Paged by offset/limit. */
  async list(ctx: RequestContext, options: { allProjects?: boolean; limit?: number; offset?: number } = {}): Promise<ServerGroup[]> {
    this.policy.enforce(ctx, ComputePolicy.serverGroups.index, { project_id: ctx.projectId });
    let all = false;
    if (options.allProjects && ctx.isAdmin) {
      this.policy.enforce(ctx, ComputePolicy.serverGroups.indexAllProjects, { project_id: ctx.projectId });
      all = true;
    }
    for (const [k, v] of [['limit', options.limit], ['offset', options.offset]] as const) {
      if (v !== undefined && (!Number.isInteger(v) || v < 0)) throw new BadRequest(`${k} param must be an integer`);
    }
    const rows = await this.db.repo(ServerGroupSchema).find({
      where: all ? {} : { projectId: ctx.projectId }, order: { createdAt: 'ASC', uuid: 'ASC' },
      skip: options.offset, take: options.limit,
    });
    const live = await this.liveMembers(rows.flatMap((r) => r.members));
    return rows.map((r) => this.view(r, live));
  }

  async get(ctx: RequestContext, id: string): Promise<ServerGroup> {
    const row = await this.find(ctx, id);
    this.policy.enforce(ctx, ComputePolicy.serverGroups.show, { project_id: row.projectId });
    return this.view(row, await this.liveMembers(row.members));
  }

  async delete(ctx: RequestContext, id: string): Promise<void> {
    const row = await this.find(ctx, id);
    this.policy.enforce(ctx, ComputePolicy.serverGroups.delete, { project_id: row.projectId });
    await this.db.repo(ServerGroupSchema).delete({ uuid: row.uuid });
  }

  /**
   * For a server create with the scheduler hint `group`: the group as the scheduler sees it
   * (policy, rules, live members and their hosts), after checking that `adding` more servers
   * fit the server_group_members quota. @throws NotFound, QuotaExceeded (403)
   */
  async instanceGroupFor(ctx: RequestContext, groupId: string, adding: number): Promise<InstanceGroupSpec> {
    const row = await this.find(ctx, groupId);
    const live = await this.db.repo(InstanceSchema).find({ select: { uuid: true, host: true }, where: { uuid: In(row.members.length ? row.members : ['']), deletedAt: IsNull() } });
    await this.checkMembers(row.projectId, live.length + adding);
    const spec: InstanceGroupSpec = {
      policy: row.policy as ServerGroupPolicy, members: live.map((i) => i.uuid),
      hosts: [...new Set(live.map((i) => i.host).filter((h): h is string => !!h))],
    };
    if (row.rules.max_server_per_host !== undefined) spec.rules = { max_server_per_host: Number(row.rules.max_server_per_host) };
    return spec;
  }

  /** Records new members of a group (after their instances are written), re-checking the members quota. */
  async addMembers(groupId: string, instanceUuids: string[]): Promise<void> {
    await this.db.transaction(async (tx) => {
      const repo = tx.getRepository(ServerGroupSchema);
      const row = await repo.findOneBy({ uuid: groupId });
      if (!row) throw new NotFound(`Instance group ${groupId} could not be found.`);
      const members = [...new Set([...row.members, ...instanceUuids])];
      const live = await tx.getRepository(InstanceSchema).countBy({ uuid: In(members), deletedAt: IsNull() });
      await this.checkMembers(row.projectId, live);
      await repo.update({ uuid: groupId }, { members });
    });
  }

  private async checkMembers(projectId: string, count: number): Promise<void> {
    const limit = (await this.quotas.getLimits(projectId)).server_group_members;
    if (limit >= 0 && count > limit) throw new QuotaExceeded('Quota exceeded, too many servers in group', 403);
  }

  private async find(ctx: RequestContext, id: string): Promise<ServerGroupRow> {
    const row = typeof id === 'string' && id.length <= 36 ? await this.db.repo(ServerGroupSchema).findOneBy({ uuid: id }) : null;
    // Another project's group is reported exactly like a missing one.
    if (!row || (!ctx.isAdmin && row.projectId !== ctx.projectId)) throw new NotFound(`Instance group ${id} could not be found.`);
    return row;
  }

  private async liveMembers(uuids: string[]): Promise<string[]> {
    if (uuids.length === 0) return [];
    const rows = await this.db.repo(InstanceSchema).find({ select: { uuid: true }, where: { uuid: In(uuids), deletedAt: IsNull() } });
    return rows.map((r) => r.uuid);
  }

  private view(row: ServerGroupRow, live: string[]): ServerGroup {
    return {
      id: row.uuid, name: row.name, policy: row.policy as ServerGroupPolicy, rules: row.rules as ServerGroup['rules'],
      members: row.members.filter((m) => live.includes(m)), projectId: row.projectId, userId: row.userId,
    };
  }
}

function checkRules(rules: unknown): { max_server_per_host?: number } {
  if (typeof rules !== 'object' || rules === null || Array.isArray(rules)) throw new BadRequest('Invalid input for field/attribute rules.');
  const out: { max_server_per_host?: number } = {};
  for (const [k, v] of Object.entries(rules)) {
    if (k !== 'max_server_per_host') throw new BadRequest(`Invalid input for field/attribute rules. Additional properties are not allowed ('${k}' was unexpected)`);
    const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
      throw new BadRequest(`Invalid input for field/attribute max_server_per_host. Value: ${String(v)}. It must be a positive integer.`);
    }
    out.max_server_per_host = n;
  }
  return out;
}
