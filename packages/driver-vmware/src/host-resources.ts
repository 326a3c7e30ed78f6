import type { HostResources } from '@nubo/core';
import { childText } from './vim/xml.js';
import { numeric, prop, propMoRefs } from './vim/decode.js';
import { retrieveAll, retrieveOne } from './vim/methods/property-collector.js';
import type { VimClient } from './vim/vim-client.js';
import type { ResolvedLocation } from './vsphere-inventory.js';

/** vSphere's `about.version` ("6.5.0") as Nova's integer version (6005000). */
export function versionToInt(version: string): number {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map((p) => Number.parseInt(p, 10) || 0);
  return major * 1_000_000 + minor * 1_000 + patch;
}

/**
 * The capacity of a cluster (or standalone host) as Nova's VMware driver reports it
 * (`vm_util.get_stats_from_cluster`): vCPUs are the CPU threads and memory the physical
 * memory of its hosts that are connected and not in maintenance mode; disk is the configured
 * datastore's capacity.
 */
export async function readHostResources(
  client: VimClient,
  loc: ResolvedLocation,
  hypervisorHostname: string,
): Promise<HostResources> {
  const cr = await retrieveOne(client.conn, client.propertyCollector, loc.computeResource, ['host']);
  const hosts = cr ? propMoRefs(cr, 'host') : [];
  const hostContents =
    hosts.length === 0
      ? []
      : await retrieveAll(client.conn, client.propertyCollector, [
          {
            propSet: [{ type: 'HostSystem', pathSet: ['summary.hardware', 'summary.runtime'] }],
            objectSet: hosts.map((obj) => ({ obj })),
          },
        ]);
  let vcpus = 0;
  let memoryBytes = 0;
  let cpuModel = '';
  let cpuVendor = '';
  let cores = 0;
  let sockets = 0;
  for (const h of hostContents) {
    const runtime = prop(h, 'summary.runtime');
    const hw = prop(h, 'summary.hardware');
    if (!hw || !runtime) continue;
    if (childText(runtime, 'inMaintenanceMode') === 'true') continue;
    if (childText(runtime, 'connectionState') !== 'connected') continue;
    vcpus += numeric(hw, 'numCpuThreads') ?? 0;
    memoryBytes += numeric(hw, 'memorySize') ?? 0;
    cores += numeric(hw, 'numCpuCores') ?? 0;
    sockets += numeric(hw, 'numCpuPkgs') ?? 0;
    cpuModel ||= childText(hw, 'cpuModel') ?? '';
    cpuVendor ||= childText(hw, 'vendor') ?? '';
  }
  const ds = await retrieveOne(client.conn, client.propertyCollector, loc.datastore, ['summary']);
  const capacity = numeric(ds && prop(ds, 'summary'), 'capacity') ?? 0;
  const about = client.serviceContent.about;
  return {
    hypervisorHostname,
    hypervisorType: about.fullName.startsWith('VMware ESX') ? 'VMware ESXi' : 'VMware vCenter Server',
    hypervisorVersion: versionToInt(about.version),
    hostIp: client.conn.url.hostname,
    vcpus,
    memoryMb: Math.floor(memoryBytes / (1024 * 1024)),
    localGb: Math.floor(capacity / 1024 ** 3),
    cpuInfo: {
      arch: 'x86_64',
      model: cpuModel,
      vendor: cpuVendor,
      topology: { sockets, cores, threads: vcpus },
      hosts: hostContents.length,
    },
    supportedInstances: [
      ['i686', 'vmware', 'hvm'],
      ['x86_64', 'vmware', 'hvm'],
    ],
  };
}
