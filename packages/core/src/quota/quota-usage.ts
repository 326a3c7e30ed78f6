import type { EntityManager } from 'typeorm';
import type { QuotaResource } from '../model/quota.js';
import { FixedIpSchema } from '../persistence/schemas/network-schemas.js';
import { InstanceSchema } from '../persistence/schemas/instance-schema.js';
import { ServerGroupSchema, VolumeSchema } from '../persistence/schemas/misc-schemas.js';

/**
 * Resources whose usage is counted from the project's rows. The others (key pairs,
 * metadata items, injected files, …) are limits on one request: the caller passes the full
 * amount the request would bring, and it is checked against the limit alone.
 */
export const COUNTED_RESOURCES = ['instances', 'cores', 'ram', 'server_groups', 'volumes', 'fixed_ips'] as const satisfies readonly QuotaResource[];
export type CountedResource = (typeof COUNTED_RESOURCES)[number];
export type CountedUsage = Record<CountedResource, number>;

export function isCounted(resource: QuotaResource): resource is CountedResource {
  return (COUNTED_RESOURCES as readonly string[]).includes(resource);
}

/**
 * Counts what the project holds now, reading through `manager` (a transaction or the pool).
 * Only the resources in `only` are counted (the rest read 0): a create that asks for
 * instances need not count volumes while it holds the project's lock.
 */
export async function countUsage(
  manager: EntityManager,
  projectId: string,
  only: readonly CountedResource[] = COUNTED_RESOURCES,
): Promise<CountedUsage> {
  const wants = (r: CountedResource) => only.includes(r);
  const usage: CountedUsage = { instances: 0, cores: 0, ram: 0, server_groups: 0, volumes: 0, fixed_ips: 0 };
  // One query after another: a transaction is one connection, which runs one at a time anyway.
  if (wants('instances') || wants('cores') || wants('ram')) {
    const row = await manager
      .getRepository(InstanceSchema)
      .createQueryBuilder('i')
      .select('COUNT(*)', 'instances')
      .addSelect('COALESCE(SUM(i.vcpus), 0)', 'cores')
      .addSelect('COALESCE(SUM(i.memoryMb), 0)', 'ram')
      .where('i.projectId = :projectId AND i.deletedAt IS NULL', { projectId })
      .getRawOne<{ instances: unknown; cores: unknown; ram: unknown }>();
    // Drivers return aggregates as strings where they may pass 2^53 (PostgreSQL, MariaDB).
    usage.instances = Number(row?.instances ?? 0);
    usage.cores = Number(row?.cores ?? 0);
    usage.ram = Number(row?.ram ?? 0);
  }
  if (wants('server_groups')) usage.server_groups = await manager.getRepository(ServerGroupSchema).countBy({ projectId });
  if (wants('volumes')) usage.volumes = await manager.getRepository(VolumeSchema).countBy({ projectId });
  if (wants('fixed_ips')) {
    usage.fixed_ips = await manager
      .getRepository(FixedIpSchema)
      .createQueryBuilder('f')
      .where('f.projectId = :projectId AND f.instanceUuid IS NOT NULL', { projectId })
      .getCount();
  }
  return usage;
}
