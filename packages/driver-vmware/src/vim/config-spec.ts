import type { DiskGrowth, NewDisk, NewNic, VirtualMachineConfigSpec } from './types.js';
import { moRef } from './vim-connection.js';
import { el, typedEl, type Xml } from './xml.js';

// Elements are written in the order of the vim25 schema's sequences: a real vCenter rejects
// a request whose elements are out of order, even where the simulator would not.

function diskBacking(fileName: string, thin: boolean | undefined): Xml {
  return typedEl('backing', 'VirtualDiskFlatVer2BackingInfo', [
    el('fileName', fileName),
    el('diskMode', 'persistent'),
    el('thinProvisioned', thin),
  ]);
}

function addDisk(d: NewDisk): Xml {
  return el('deviceChange', [
    el('operation', 'add'),
    el('fileOperation', 'create'),
    typedEl('device', 'VirtualDisk', [
      el('key', d.key),
      diskBacking(d.fileName, d.thinProvisioned),
      el('controllerKey', d.controllerKey),
      el('unitNumber', d.unitNumber),
      el('capacityInKB', d.capacityKb),
    ]),
  ]);
}

function growDisk(d: DiskGrowth): Xml {
  return el('deviceChange', [
    el('operation', 'edit'),
    typedEl('device', 'VirtualDisk', [
      el('key', d.key),
      el('deviceInfo', [el('label', d.label), el('summary', `${d.capacityKb} KB`)]),
      diskBacking(d.fileName, undefined),
      el('controllerKey', d.controllerKey),
      el('unitNumber', d.unitNumber),
      el('capacityInKB', d.capacityKb),
    ]),
  ]);
}

function addScsiController(c: { key: number; busNumber: number }): Xml {
  return el('deviceChange', [
    el('operation', 'add'),
    typedEl('device', 'ParaVirtualSCSIController', [
      el('key', c.key),
      el('busNumber', c.busNumber),
      el('sharedBus', 'noSharing'),
    ]),
  ]);
}

function addNic(n: NewNic): Xml {
  return el('deviceChange', [
    el('operation', 'add'),
    typedEl('device', 'VirtualVmxnet3', [
      el('key', n.key),
      typedEl('backing', 'VirtualEthernetCardNetworkBackingInfo', [
        el('deviceName', n.networkName),
        n.network ? moRef('network', n.network) : undefined,
      ].filter((x): x is Xml => x !== undefined)),
      el('connectable', [el('startConnected', true), el('allowGuestControl', true), el('connected', true)]),
      el('addressType', n.macAddress ? 'manual' : 'generated'),
      el('macAddress', n.macAddress),
    ]),
  ]);
}

/** Encodes a `VirtualMachineConfigSpec` as the element `name` (`config` for CreateVM, `spec` for Reconfig). */
export function encodeConfigSpec(name: string, spec: VirtualMachineConfigSpec): Xml {
  return el(name, [
    el('name', spec.name),
    el('instanceUuid', spec.instanceUuid),
    el('guestId', spec.guestId),
    el('annotation', spec.annotation),
    spec.vmPathName !== undefined ? el('files', [el('vmPathName', spec.vmPathName)]) : el('files', undefined),
    el('numCPUs', spec.numCPUs),
    el('memoryMB', spec.memoryMB),
    ...(spec.addScsiController ? [addScsiController(spec.addScsiController)] : []),
    ...(spec.addDisks ?? []).map(addDisk),
    ...(spec.growDisks ?? []).map(growDisk),
    ...(spec.addNics ?? []).map(addNic),
    ...(spec.extraConfig ?? []).map((o) =>
      typedEl('extraConfig', 'OptionValue', [el('key', o.key), typedEl('value', 'xsd:string', o.value)]),
    ),
  ]);
}
