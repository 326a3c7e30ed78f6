import type { Database } from '../../persistence/database.js';
import { ComputeNodeSchema } from '../../persistence/schemas/index.js';
import type { DriverCapabilities } from '../../ports/hypervisor-driver.js';

/**
 * What the driver of a node can do, as its compute service last reported it, so the API
 * refuses an unsupported action up front rather than failing on the host.
 */
export class ComputeNodeCapabilities {
  constructor(private readonly db: Database) {}

  async supports(node: string, capability: keyof DriverCapabilities): Promise<boolean> {
    const row = await this.db.repo(ComputeNodeSchema).findOneBy({ hypervisorHostname: node });
    if (!row) return true; // unknown yet: let the host decide (it answers NotImplementedByDriver)
    const caps = parseCapabilities(row.cpuInfo);
    return caps?.[capability] ?? true;
  }
}

/** Capabilities travel inside the node's cpu_info JSON under `nubo_capabilities`. */
export function parseCapabilities(cpuInfo: string): Partial<DriverCapabilities> | null {
  try {
    const parsed = JSON.parse(cpuInfo) as { nubo_capabilities?: Partial<DriverCapabilities> };
    return parsed.nubo_capabilities ?? null;
  } catch {
    return null;
  }
}
