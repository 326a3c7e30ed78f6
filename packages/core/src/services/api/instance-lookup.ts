import { IsNull } from 'typeorm';
import { NotFound } from '../../errors.js';
import type { Instance } from '../../model/instance.js';
import type { RequestContext } from '../../model/request-context.js';
import type { Database } from '../../persistence/database.js';
import { InstanceSchema } from '../../persistence/schemas/index.js';

/**
 * Finds a live instance the caller may see. Another project's instance is reported exactly
 * like a missing one, so its existence does not leak.
 */
export class InstanceLookup {
  constructor(private readonly db: Database) {}

  async get(ctx: RequestContext, uuid: string): Promise<Instance> {
    const instance = typeof uuid === 'string' && uuid.length <= 36
      ? await this.db.repo(InstanceSchema).findOneBy({ uuid, deletedAt: IsNull() })
      : null;
    if (!instance || (!ctx.isAdmin && instance.projectId !== ctx.projectId)) {
      throw new NotFound(`Instance ${uuid} could not be found.`);
    }
    return instance;
  }
}
