/** What a libvirt host offers: virt type, and the capacity the resource tracker reports. */
import { existsSync } from 'node:fs';
import { statfs } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import type { HostResources } from '@nubo/core';
import { parseCapabilities } from './host-capabilities.js';
import type { RemoteCaller } from './rpc/rpc-client.js';
import { connectGetCapabilities, connectGetHostname, connectGetVersion, nodeGetInfo } from './rpc/procedures/connect.js';

/**
 * `auto` means `kvm` when libvirt offers kvm domains for `arch`, `/dev/kvm` exists, and the KVM
 * module is not the paravirtual `kvm-pvm` (which opens /dev/kvm but on which QEMU aborts,
 * recipes/libvirt.md); otherwise `qemu` (TCG).
 */
export function chooseVirtType(wanted: 'qemu' | 'kvm' | 'auto', arch: string, supported: [string, string, string][]): 'qemu' | 'kvm' {
  if (wanted !== 'auto') return wanted;
  const kvmOffered = supported.some(([a, type]) => a === arch && type === 'kvm');
  return kvmOffered && existsSync('/dev/kvm') && !existsSync('/sys/module/kvm_pvm') ? 'kvm' : 'qemu';
}

/** Host capacity from NODE_GET_INFO and the capabilities XML; disk from the instances filesystem. */
export async function readHostResources(
  rpc: RemoteCaller,
  o: { hypervisorType: string; instancesPath: string; hostIp?: string },
): Promise<HostResources> {
  const [node, hostname, version, capsXml, fs] = await Promise.all([
    nodeGetInfo(rpc), connectGetHostname(rpc), connectGetVersion(rpc), connectGetCapabilities(rpc), statfs(o.instancesPath),
  ]);
  const caps = parseCapabilities(capsXml);
  return {
    hypervisorHostname: hostname,
    hypervisorType: o.hypervisorType,
    hypervisorVersion: version,
    hostIp: o.hostIp ?? firstHostIp(),
    vcpus: node.cpus,
    memoryMb: Math.floor(node.memoryKib / 1024),
    localGb: Math.floor((fs.blocks * fs.bsize) / 1024 ** 3),
    cpuInfo: { ...caps.cpu, mhz: node.mhz },
    supportedInstances: caps.supportedInstances,
  };
}

function firstHostIp(): string {
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  }
  return '127.0.0.1';
}
