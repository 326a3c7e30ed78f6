import { In } from 'typeorm';
import type { Flavor } from '../../model/flavor.js';
import type { Instance } from '../../model/instance.js';
import type { InstanceFault } from '../../model/instance-fault.js';
import { serverStatus, type ServerStatus } from '../../model/instance-state.js';
import type { NetworkInfo } from '../../model/network.js';
import type { Database } from '../../persistence/database.js';
import { FlavorSchema, InstanceFaultSchema } from '../../persistence/schemas/index.js';
import type { NetworkService } from '../../ports/network-service.js';

/** A server as the API shows it: the instance with its status, flavor, addresses and last fault. */
export interface ServerView {
  instance: Instance;
  status: ServerStatus;
  /** The flavor row when it still exists; sizes are always on the instance. */
  flavor: Flavor | null;
  addresses: NetworkInfo[];
  /** Only for a server in ERROR (or one that has a fault and is not ACTIVE), like Nova. */
  fault: InstanceFault | null;
}

/** Builds views for many instances with one query per related table. */
export class ServerViewBuilder {
  constructor(private readonly db: Database, private readonly network: NetworkService) {}

  /**
   * Servers just accepted, read nothing more: in BUILD, with the flavor they were created
   * from, and no address or fault yet (their build has only been cast).
   */
  accepted(instances: Instance[], flavor: Flavor): ServerView[] {
    return instances.map((instance) => ({ instance, status: serverStatus(instance.vmState, instance.taskState), flavor, addresses: [], fault: null }));
  }

  async one(instance: Instance): Promise<ServerView> {
    return (await this.many([instance]))[0]!;
  }

  async many(instances: Instance[]): Promise<ServerView[]> {
    if (!instances.length) return [];
    const uuids = instances.map((i) => i.uuid);
    const flavorIds = [...new Set(instances.map((i) => i.flavorId))];
    const erroring = instances.filter((i) => i.vmState === 'error').map((i) => i.uuid);
    const [flavors, addresses, faults] = await Promise.all([
      this.db.repo(FlavorSchema).findBy({ id: In(flavorIds) }),
      this.network.networkInfoByInstance
        ? this.network.networkInfoByInstance(uuids)
        : Promise.all(instances.map(async (i) => [i.uuid, await this.network.getInstanceNetworkInfo(i.uuid)] as const)).then((e) => new Map(e)),
      erroring.length
        ? this.db.repo(InstanceFaultSchema).find({ where: { instanceUuid: In(erroring) }, order: { id: 'DESC' } })
        : Promise.resolve([]),
    ]);
    const flavorById = new Map(flavors.map((f) => [f.id, f]));
    const lastFault = new Map<string, InstanceFault>();
    for (const f of faults) if (!lastFault.has(f.instanceUuid)) lastFault.set(f.instanceUuid, f);
    return instances.map((instance) => ({
      instance,
      status: serverStatus(instance.vmState, instance.taskState),
      flavor: flavorById.get(instance.flavorId) ?? null,
      addresses: addresses.get(instance.uuid) ?? [],
      fault: lastFault.get(instance.uuid) ?? null,
    }));
  }
}
