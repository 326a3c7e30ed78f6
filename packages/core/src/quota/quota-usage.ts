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

/** Counts what the project holds now, reading through `manager` (a transaction or the pool). */
export async function countUsage(manager: EntityManager, projectId: string): Promise<CountedUsage> {
  // One query after another: a transaction is one connection, which runs one at a time anyway.
  const instances = await manager
    .getRepository(InstanceSchema)
    .createQueryBuilder('i')
    .select('COUNT(*)', 'instances')
    .addSelect('COALESCE(SUM(i.vcpus), 0)', 'cores')
    .addSelect('COALESCE(SUM(i.memoryMb), 0)', 'ram')
    .where('i.projectId = :projectId AND i.deletedAt IS NULL', { projectId })
    .getRawOne<{ instances: unknown; cores: unknown; ram: unknown }>();
  const serverGroups = await manager.getRepository(ServerGroupSchema).countBy({ projectId });
  const volumes = await manager.getRepository(VolumeSchema).countBy({ projectId });
  const fixedIps = await manager
    .getRepository(FixedIpSchema)
    .createQueryBuilder('f')
    .where('f.projectId = :projectId AND f.instanceUuid IS NOT NULL', { projectId })
    .getCount();
  return {
    instances: Number(instances?.instances ?? 0),
    cores: Number(instances?.cores ?? 0),
    ram: Number(instances?.ram ?? 0),
    server_groups: serverGroups,
    volumes,
    fixed_ips: fixedIps,
  };
}
