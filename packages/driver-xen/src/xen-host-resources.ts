/** A Xen host's capacity from Xen's own figures, with dom0's share left out. */
import type { HostResources } from '@nubo/core';
import {
  connectGetCapabilities, connectGetHostname, connectGetVersion, connectListAllDomains, domainGetInfo, nodeGetInfo,
  parseCapabilities, type RemoteCaller,
} from '@nubo/driver-libvirt';
import type { XenStoragePool } from './xen-storage-pool.js';

/**
 * vCPUs are the host's physical CPUs (NODE_GET_INFO); memory is the host's total less what
 * dom0 holds (domain id 0), which guests can never get; the local disk is the size of the
 * driver's storage pool in dom0.
 */
export async function readXenHostResources(rpc: RemoteCaller, pool: XenStoragePool, o: { hypervisorType: string; hostIp: string }): Promise<HostResources> {
  const [node, hostname, version, capsXml, domains, disk] = await Promise.all([
    nodeGetInfo(rpc), connectGetHostname(rpc), connectGetVersion(rpc), connectGetCapabilities(rpc), connectListAllDomains(rpc), pool.info(),
  ]);
  const dom0 = domains.find((d) => d.id === 0);
  const dom0Kib = dom0 ? (await domainGetInfo(rpc, dom0)).memoryKib : 0;
  const caps = parseCapabilities(capsXml);
  return {
    hypervisorHostname: hostname,
    hypervisorType: o.hypervisorType,
    hypervisorVersion: version,
    hostIp: o.hostIp,
    vcpus: node.cpus,
    memoryMb: Math.floor((node.memoryKib - dom0Kib) / 1024),
    localGb: Math.floor(Number(disk.capacity) / 1024 ** 3),
    cpuInfo: { ...caps.cpu, mhz: node.mhz },
    supportedInstances: caps.supportedInstances,
  };
}
