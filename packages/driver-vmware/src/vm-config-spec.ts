import type { InstanceSpec, NetworkInfo } from '@nubo/core';
import { guestinfoExtraConfig } from './guestinfo.js';
import type { NewDisk, NewNic, OptionValue, VirtualMachineConfigSpec } from './vim/types.js';

/** The extraConfig key that marks a VM as a Nubo instance (and carries its UUID). */
export const INSTANCE_UUID_KEY = 'nubo.instance-uuid';
/** The key Nova's VMware driver sets; kept so tooling that knows Nova finds our VMs too. */
export const NOVA_UUID_KEY = 'nvp.vm-uuid';

const KB_PER_GB = 1024 * 1024;
const SCSI_CONTROLLER_KEY = -100;

/** Which disk an instance's flavor asked for sits on which SCSI unit (unit 7 is the controller's own). */
export const DISK_UNITS = { root: 0, ephemeral: 1, swap: 2 } as const;

export interface VmPlacement {
  /** Datastore name, e.g. `LocalDS_0`. */
  datastore: string;
  /** Port group for the instance's NICs. */
  networkName: string;
  guestId: string;
}

/**
 * The root disk's capacity in KB: the flavor's, or when the flavor says 0 (Nova's "as large as
 * the image"), the image's size rounded up to a whole MB.
 */
export function rootDiskKb(spec: InstanceSpec, imageBytes: number | null): number {
  if (spec.rootGb > 0) return spec.rootGb * KB_PER_GB;
  if (imageBytes === null || imageBytes === 0) return 0;
  return Math.ceil(imageBytes / (1024 * 1024)) * 1024;
}

function disksFor(spec: InstanceSpec, datastore: string, rootKb: number): NewDisk[] {
  const disks: NewDisk[] = [];
  const add = (unit: number, capacityKb: number) =>
    disks.push({
      key: -(200 + unit),
      controllerKey: SCSI_CONTROLLER_KEY,
      unitNumber: unit,
      capacityKb,
      fileName: `[${datastore}]`,
      thinProvisioned: true,
    });
  if (rootKb > 0) add(DISK_UNITS.root, rootKb);
  if (spec.ephemeralGb > 0) add(DISK_UNITS.ephemeral, spec.ephemeralGb * KB_PER_GB);
  if (spec.swapMb > 0) add(DISK_UNITS.swap, spec.swapMb * 1024);
  return disks;
}

/** Annotation in Nova's style: readable in the vSphere client, one `key:value` a line. */
function annotation(spec: InstanceSpec): string {
  return [`name:${spec.name}`, `projectid:${spec.projectId}`, `nubo:instance ${spec.uuid}`].join('\n');
}

/**
 * The `VirtualMachineConfigSpec` that builds an instance: named and tagged by its UUID (the
 * VM name, `config.instanceUuid`, and extraConfig), sized by its flavor (vCPUs, memory, thin
 * root/ephemeral/swap disks on one paravirtual SCSI controller), one vmxnet3 NIC per network
 * with the MAC the network service allocated, and cloud-init's `guestinfo.*` metadata.
 */
export function buildCreateSpec(
  spec: InstanceSpec,
  network: NetworkInfo[],
  placement: VmPlacement,
  rootKb: number = rootDiskKb(spec, null),
): VirtualMachineConfigSpec {
  const disks = disksFor(spec, placement.datastore, rootKb);
  const nics: NewNic[] = network.map((n, i) => ({
    key: -(300 + i),
    networkName: placement.networkName,
    macAddress: n.macAddress || undefined,
  }));
  const extraConfig: OptionValue[] = [
    { key: INSTANCE_UUID_KEY, value: spec.uuid },
    { key: NOVA_UUID_KEY, value: spec.uuid },
    ...guestinfoExtraConfig(spec, network),
  ];
  return {
    name: spec.uuid,
    instanceUuid: spec.uuid,
    guestId: placement.guestId,
    annotation: annotation(spec),
    vmPathName: `[${placement.datastore}]`,
    numCPUs: spec.vcpus,
    memoryMB: spec.memoryMb,
    addScsiController: disks.length > 0 ? { key: SCSI_CONTROLLER_KEY, busNumber: 0 } : undefined,
    addDisks: disks,
    addNics: nics,
    extraConfig,
  };
}

/** Capacity in KB a flavor asks of the disk on `unit`, or 0 when it asks for none. */
export function flavorDiskKb(spec: Pick<InstanceSpec, 'rootGb' | 'ephemeralGb' | 'swapMb'>, unit: number): number {
  if (unit === DISK_UNITS.root) return spec.rootGb * KB_PER_GB;
  if (unit === DISK_UNITS.ephemeral) return spec.ephemeralGb * KB_PER_GB;
  if (unit === DISK_UNITS.swap) return spec.swapMb * 1024;
  return 0;
}
