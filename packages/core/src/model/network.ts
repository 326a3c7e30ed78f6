/** A fixed IP allocated to an instance from its project's network. */
export interface FixedIp {
  address: string;
  networkId: string;
  projectId: string;
  instanceUuid: string | null;
  macAddress: string | null;
  allocatedAt: Date | null;
}

export interface Network {
  id: string;
  projectId: string;
  label: string;
  cidr: string;
  gateway: string;
}

/** What the compute manager gets back from the network service for a build. */
export interface NetworkInfo {
  networkId: string;
  label: string;
  address: string;
  macAddress: string;
  gateway: string;
  cidr: string;
}
