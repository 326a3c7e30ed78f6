import { randomInt, randomUUID } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import { BadRequest, Conflict } from '../../errors.js';
import type { FixedIp, Network, NetworkInfo } from '../../model/network.js';
import type { RequestContext } from '../../model/request-context.js';
import type { Database } from '../../persistence/database.js';
import { FixedIpSchema, NetworkSchema } from '../../persistence/schemas/index.js';
import { isDeadlock } from '../../persistence/deadlock.js';
import { isUniqueViolation } from '../../persistence/unique-violation.js';
import type { NetworkRequest, NetworkService } from '../../ports/network-service.js';
import { formatCidr, intToIp, parseCidr } from './ipv4.js';

export interface BuiltinNetworkOptions {
  /** The range project networks are carved from, e.g. `10.100.0.0/16`. */
  fixedRange: string;
  /** Prefix length of each project's network, e.g. 24. */
  networkPrefix: number;
}

/**
 * Minimal nova-network: each project gets its own subnet of `fixedRange` on first use and
 * each instance one fixed IP from it. The address is the primary key, so the database itself
 * refuses to hand an address out twice, however many allocations run at once.
 */
export class BuiltinNetworkService implements NetworkService {
  private readonly range;
  private readonly networks = new Map<string, Network>();

  constructor(private readonly db: Database, private readonly options: BuiltinNetworkOptions) {
    this.range = parseCidr(options.fixedRange);
    if (options.networkPrefix < this.range.prefix || options.networkPrefix > 29) {
      throw new BadRequest(`networkPrefix ${options.networkPrefix} does not fit in ${options.fixedRange}.`);
    }
  }

  async allocateForInstance(_ctx: RequestContext, instanceUuid: string, projectId: string, request: NetworkRequest): Promise<NetworkInfo[]> {
    if (request === 'none') return [];
    const net = await this.projectNetwork(projectId);
    if (request !== 'auto' && !request.networkIds.every((id) => id === net.id)) {
      throw new BadRequest(`Network ${request.networkIds.find((id) => id !== net.id)} could not be found.`);
    }
    const taken = await this.takeAddress(net, instanceUuid);
    return taken === 'has one' ? this.getInstanceNetworkInfo(instanceUuid) : [toInfo(net, taken)];
  }

  async validateRequest(_ctx: RequestContext, projectId: string, request: NetworkRequest): Promise<void> {
    if (request === 'auto' || request === 'none') return;
    const mine = await this.db.repo(NetworkSchema).findOneBy({ projectId });
    const unknown = request.networkIds.find((id) => id !== mine?.id);
    if (unknown !== undefined) throw new BadRequest(`Network ${unknown} could not be found.`);
  }

  async deallocateForInstance(_ctx: RequestContext, instanceUuid: string): Promise<void> {
    await this.db.repo(FixedIpSchema).delete({ instanceUuid });
  }

  async getInstanceNetworkInfo(instanceUuid: string): Promise<NetworkInfo[]> {
    const ips = await this.db.repo(FixedIpSchema).findBy({ instanceUuid });
    if (!ips.length) return [];
    const nets = await this.db.repo(NetworkSchema).findBy({ id: In(ips.map((i) => i.networkId)) });
    return ips.map((ip) => toInfo(nets.find((n) => n.id === ip.networkId)!, ip));
  }

  /** Addresses of many instances at once, for listing servers. */
  async networkInfoByInstance(instanceUuids: string[]): Promise<Map<string, NetworkInfo[]>> {
    const out = new Map<string, NetworkInfo[]>();
    if (!instanceUuids.length) return out;
    const ips = await this.db.repo(FixedIpSchema).findBy({ instanceUuid: In(instanceUuids) });
    if (!ips.length) return out;
    const nets = new Map((await this.db.repo(NetworkSchema).findBy({ id: In([...new Set(ips.map((i) => i.networkId))]) })).map((n) => [n.id, n]));
    for (const ip of ips) {
      const list = out.get(ip.instanceUuid!) ?? out.set(ip.instanceUuid!, []).get(ip.instanceUuid!)!;
      list.push(toInfo(nets.get(ip.networkId)!, ip));
    }
    return out;
  }

  async listNetworks(projectId: string): Promise<Network[]> {
    return this.db.repo(NetworkSchema).findBy({ projectId });
  }

  // The built-in network has no host plumbing: addresses are bookkeeping only.
  async plug(): Promise<void> {}
  async unplug(): Promise<void> {}

  /**
   * The project's network, made on first use (two first uses at once agree on one). A
   * project's network never changes once made, so each process remembers it.
   */
  private async projectNetwork(projectId: string): Promise<Network> {
    const known = this.networks.get(projectId);
    if (known) return known;
    for (let attempt = 0; attempt < 20; attempt++) {
      try {
        const net = await this.db.transaction((tx) => this.findOrCreateNetwork(tx, projectId));
        if (this.networks.size >= KNOWN_NETWORKS) this.networks.delete(this.networks.keys().next().value!);
        this.networks.set(projectId, net);
        return net;
      } catch (err) {
        if (!isUniqueViolation(err) && !isDeadlock(err)) throw err;
        // another first use created it, or took the same range for its project: look again
      }
    }
    throw new Conflict(`Could not create a network for project ${projectId}: the range is busy, try again.`);
  }

  private async findOrCreateNetwork(tx: EntityManager, projectId: string): Promise<Network> {
    const nets = tx.getRepository(NetworkSchema);
    const mine = await nets.findOneBy({ projectId });
    if (mine) return mine;
    const taken = new Set((await nets.find({ select: { cidr: true } })).map((n) => n.cidr));
    const size = 2 ** (32 - this.options.networkPrefix);
    for (let base = this.range.base; base < this.range.base + this.range.size; base += size) {
      const cidr = formatCidr({ base, prefix: this.options.networkPrefix, size });
      if (taken.has(cidr)) continue;
      const net: Network = { id: randomUUID(), projectId, label: `private-${projectId.slice(0, 8)}`, cidr, gateway: intToIp(base + 1) };
      await nets.insert(net);
      return net;
    }
    throw new Conflict(`No room left in ${this.options.fixedRange} for another project network.`);
  }

  /**
   * One free address of `net` for the instance. The address is the key, so an insert either
   * takes it or fails; random addresses are tried first, as Neutron's IPAM does, so that many
   * builds at once rarely want the same one and none reads the whole network. A crowded
   * network falls back to the lowest free address. An instance holds one address at most
   * (a unique key too): 'has one' when an earlier allocation for it got there first.
   */
  private async takeAddress(net: Network, instanceUuid: string): Promise<FixedIp | 'has one'> {
    const c = parseCidr(net.cidr);
    // .0 is the network, .1 the gateway, the last the broadcast address.
    const first = c.base + 2;
    const count = c.size - 3;
    const ips = this.db.repo(FixedIpSchema);
    const claim = async (n: number): Promise<FixedIp | 'has one' | null> => {
      const ip: FixedIp = { address: intToIp(n), networkId: net.id, projectId: net.projectId, instanceUuid, macAddress: randomMac(), allocatedAt: new Date() };
      try {
        await ips.insert(ip);
        return ip;
      } catch (err) {
        // Taken by another build (MariaDB may report two inserts of one key as a deadlock),
        // or the instance has its address already.
        if (!isUniqueViolation(err) && !isDeadlock(err)) throw err;
        return (await ips.existsBy({ instanceUuid })) ? 'has one' : null;
      }
    };
    for (let probe = 0; probe < RANDOM_PROBES && count > 0; probe++) {
      const ip = await claim(first + randomInt(count));
      if (ip) return ip;
    }
    for (let attempt = 0; attempt < 20; attempt++) {
      const used = new Set((await ips.find({ select: { address: true }, where: { networkId: net.id } })).map((i) => i.address));
      let n = first;
      while (n < first + count && used.has(intToIp(n))) n++;
      if (n >= first + count) break;
      const ip = await claim(n);
      if (ip) return ip;
    }
    throw new Conflict(`No fixed IP left in network ${net.cidr}.`);
  }
}

/** Project networks a process remembers. */
const KNOWN_NETWORKS = 1024;

/** Random addresses tried before scanning for the lowest free one. */
const RANDOM_PROBES = 4;

function toInfo(net: Network, ip: FixedIp): NetworkInfo {
  return { networkId: net.id, label: net.label, address: ip.address, macAddress: ip.macAddress!, gateway: net.gateway, cidr: net.cidr };
}

/** OpenStack's locally administered prefix fa:16:3e, then three random bytes. */
function randomMac(): string {
  // randomUUID draws from a pooled buffer; three random bytes of their own cost a call into OpenSSL each.
  const hex = randomUUID().replaceAll('-', '');
  return `fa:16:3e:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
}
