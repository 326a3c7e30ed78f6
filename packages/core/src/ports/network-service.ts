import type { NetworkInfo } from '../model/network.js';
import type { RequestContext } from '../model/request-context.js';

export type NetworkRequest = 'auto' | 'none' | { networkIds: string[] };

/**
 * Networking for instances. Allocation (IPAM: which address) and plumbing (bridges, rules on
 * a host) are separate steps, each with its own undo, so a failed build can release its
 * address without touching a host and a host can re-plug after a restart.
 */
export interface NetworkService {
  /** Allocates fixed IPs for an instance; idempotent for the same instance. Never hands out an address twice. */
  allocateForInstance(ctx: RequestContext, instanceUuid: string, projectId: string, request: NetworkRequest): Promise<NetworkInfo[]>;
  /** Releases every address of the instance; idempotent. */
  deallocateForInstance(ctx: RequestContext, instanceUuid: string): Promise<void>;
  getInstanceNetworkInfo(instanceUuid: string): Promise<NetworkInfo[]>;
  /** Optional batch form of `getInstanceNetworkInfo`, for listing many servers in one query. */
  networkInfoByInstance?(instanceUuids: string[]): Promise<Map<string, NetworkInfo[]>>;
  /** Optional early check of a request (API side, before anything is written): `BadRequest` when it cannot be met. */
  validateRequest?(ctx: RequestContext, projectId: string, request: NetworkRequest): Promise<void>;
  /** Host-side plumbing for the instance's interfaces (no-op where there is nothing to plumb). */
  plug(host: string, instanceUuid: string, info: NetworkInfo[]): Promise<void>;
  unplug(host: string, instanceUuid: string, info: NetworkInfo[]): Promise<void>;
}
