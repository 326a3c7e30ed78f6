import { Database } from '@nubo/core';
import type { NuboConfig } from '../config/nubo-config.js';

/**
 * `nubo db sync` (Nova's `nova-manage db sync`): brings the schema up to date once, before the
 * services start, so that several processes starting together never race to migrate.
 */
export async function dbSync(config: NuboConfig): Promise<void> {
  const db = await new Database({ url: config.database.url }).open();
  await db.close();
}
