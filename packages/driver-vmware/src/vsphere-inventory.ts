import { DriverError } from '@nubo/core';
import { findByInventoryPath } from './vim/methods/search-index.js';
import { retrieveOne } from './vim/methods/property-collector.js';
import { propMoRef, propMoRefs, propString } from './vim/decode.js';
import type { ManagedObjectReference } from './vim/types.js';
import type { VimClient } from './vim/vim-client.js';

/** Where in vSphere a driver puts its VMs, by inventory names (as the vSphere client shows them). */
export interface VSphereLocation {
  /** Datacenter name, e.g. `DC0` (or a folder path to it, `F0/DC0`). */
  datacenter: string;
  /** Cluster or standalone host under the datacenter's host folder, e.g. `DC0_C0` or `DC0_H0`. */
  computeResource: string;
  /** Datastore the VMs' files and disks go to, e.g. `LocalDS_0`. */
  datastore: string;
  /** Folder under the datacenter's VM folder for Nubo's VMs (default: the VM folder itself). */
  vmFolder?: string;
  /** Standard port group for instance NICs (default `VM Network`). */
  network?: string;
}

/** The managed objects a location resolves to, looked up once at `init`. */
export interface ResolvedLocation {
  datacenter: ManagedObjectReference;
  vmFolder: ManagedObjectReference;
  computeResource: ManagedObjectReference;
  resourcePool: ManagedObjectReference;
  datastore: ManagedObjectReference;
  network: ManagedObjectReference;
  networkName: string;
  /** The compute resource's name as vSphere reports it. */
  computeResourceName: string;
}

async function mustFind(client: VimClient, path: string, what: string): Promise<ManagedObjectReference> {
  const ref = await findByInventoryPath(client.conn, client.searchIndex, path);
  if (!ref) throw new DriverError(`${what} not found in vSphere (inventory path ${path}).`, false, { path });
  return ref;
}

/** The datastore `name` of `datacenter`, or a non-retryable `DriverError` saying it is missing. */
export function findDatastore(client: VimClient, datacenter: string, name: string): Promise<ManagedObjectReference> {
  return mustFind(client, `${datacenter}/datastore/${name}`, `Datastore ${name}`);
}

/**
 * Resolves names to managed objects and checks they fit together: the datastore must be
 * mounted on the compute resource, so a VM created there can actually be placed.
 */
export async function resolveLocation(client: VimClient, loc: VSphereLocation): Promise<ResolvedLocation> {
  const networkName = loc.network ?? 'VM Network';
  const datacenter = await mustFind(client, loc.datacenter, `Datacenter ${loc.datacenter}`);
  const vmFolderPath = `${loc.datacenter}/vm${loc.vmFolder ? `/${loc.vmFolder}` : ''}`;
  const vmFolder = await mustFind(client, vmFolderPath, `VM folder ${vmFolderPath}`);
  const computeResource = await mustFind(
    client,
    `${loc.datacenter}/host/${loc.computeResource}`,
    `Cluster or host ${loc.computeResource}`,
  );
  const datastore = await findDatastore(client, loc.datacenter, loc.datastore);
  const network = await mustFind(client, `${loc.datacenter}/network/${networkName}`, `Network ${networkName}`);
  const cr = await retrieveOne(client.conn, client.propertyCollector, computeResource, [
    'name',
    'resourcePool',
    'datastore',
  ]);
  const resourcePool = cr && propMoRef(cr, 'resourcePool');
  if (!cr || !resourcePool) {
    throw new DriverError(`${loc.computeResource} is not a cluster or host with a resource pool.`, false);
  }
  if (!propMoRefs(cr, 'datastore').some((d) => d.value === datastore.value)) {
    throw new DriverError(`Datastore ${loc.datastore} is not mounted on ${loc.computeResource}.`, false);
  }
  return {
    datacenter,
    vmFolder,
    computeResource,
    resourcePool,
    datastore,
    network,
    networkName,
    computeResourceName: propString(cr, 'name') ?? loc.computeResource,
  };
}
