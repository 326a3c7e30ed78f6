import { BadRequest, NotFound, QuotaExceeded } from '../../errors.js';
import type { RequestContext } from '../../model/request-context.js';
import { ComputePolicy } from '../../policy/compute-policies.js';
import type { Database } from '../../persistence/database.js';
import { InstanceSchema } from '../../persistence/schemas/index.js';
import type { PolicyEngine } from '../../ports/policy-engine.js';
import type { QuotaEngine } from '../../ports/quota-engine.js';
import { target } from './compute-api-service.js';
import type { InstanceLookup } from './instance-lookup.js';
import { checkMetadata } from './server-create-input.js';

/** Server metadata (/servers/{id}/metadata): key/value pairs limited by the metadata_items quota. */
export class ServerMetadataService {
  constructor(
    private readonly db: Database,
    private readonly policy: PolicyEngine,
    private readonly quotas: QuotaEngine,
    private readonly lookup: InstanceLookup,
  ) {}

  async list(ctx: RequestContext, uuid: string): Promise<Record<string, string>> {
    const i = await this.lookup.get(ctx, uuid);
    this.policy.enforce(ctx, ComputePolicy.serverMetadata.index, target(i));
    return i.metadata;
  }

  async get(ctx: RequestContext, uuid: string, key: string): Promise<string> {
    const i = await this.lookup.get(ctx, uuid);
    this.policy.enforce(ctx, ComputePolicy.serverMetadata.show, target(i));
    if (!(key in i.metadata)) throw new NotFound('Metadata item was not found');
    return i.metadata[key]!;
  }

  /** Replaces all metadata (PUT /metadata). */
  replace(ctx: RequestContext, uuid: string, metadata: Record<string, string>): Promise<Record<string, string>> {
    return this.write(ctx, uuid, ComputePolicy.serverMetadata.updateAll, metadata, () => ({ ...metadata }));
  }

  /** Merges into the metadata (POST /metadata). */
  merge(ctx: RequestContext, uuid: string, metadata: Record<string, string>): Promise<Record<string, string>> {
    return this.write(ctx, uuid, ComputePolicy.serverMetadata.create, metadata, (cur) => ({ ...cur, ...metadata }));
  }

  async set(ctx: RequestContext, uuid: string, key: string, value: string): Promise<string> {
    const item = { [key]: value };
    await this.write(ctx, uuid, ComputePolicy.serverMetadata.update, item, (cur) => ({ ...cur, ...item }));
    return value;
  }

  async delete(ctx: RequestContext, uuid: string, key: string): Promise<void> {
    await this.write(ctx, uuid, ComputePolicy.serverMetadata.delete, {}, (cur) => {
      if (!(key in cur)) throw new NotFound('Metadata item was not found');
      const { [key]: _gone, ...rest } = cur;
      return rest;
    });
  }

  private async write(ctx: RequestContext, uuid: string, rule: string, input: unknown, next: (cur: Record<string, string>) => Record<string, string>): Promise<Record<string, string>> {
    const i = await this.lookup.get(ctx, uuid);
    this.policy.enforce(ctx, rule, target(i));
    checkMetadata(input);
    const metadata = next(i.metadata);
    const limit = (await this.quotas.getLimits(i.projectId)).metadata_items;
    if (limit >= 0 && Object.keys(metadata).length > limit) {
      throw new QuotaExceeded(`Quota exceeded for metadata_items: Requested ${Object.keys(metadata).length}, but already used 0 of ${limit} metadata_items`, 403);
    }
    if (Object.keys(metadata).some((k) => typeof k !== 'string')) throw new BadRequest('Metadata keys must be strings.');
    await this.db.repo(InstanceSchema).update({ uuid }, { metadata, updatedAt: new Date() });
    return metadata;
  }
}
