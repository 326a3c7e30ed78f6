/** A reference to a server-side managed object, e.g. `{ type: 'VirtualMachine', value: 'vm-57' }`. */
export interface ManagedObjectReference {
  type: string;
  value: string;
}

/** The managed objects of `ServiceInstance` a client starts from (the part of it we use). */
export interface ServiceContent {
  rootFolder: ManagedObjectReference;
  propertyCollector: ManagedObjectReference;
  viewManager?: ManagedObjectReference;
  sessionManager?: ManagedObjectReference;
  searchIndex: ManagedObjectReference;
  virtualDiskManager?: ManagedObjectReference;
  fileManager?: ManagedObjectReference;
  about: AboutInfo;
}

export interface AboutInfo {
  name: string;
  fullName: string;
  version: string;
  build: string;
  apiType: string;
  apiVersion: string;
  instanceUuid?: string;
}

export interface UserSession {
  key: string;
  userName: string;
  fullName?: string;
}

export type TaskState = 'queued' | 'running' | 'success' | 'error';

/** The outcome of a finished task: its result (a moref for creates) or nothing. */
export interface TaskResult {
  task: ManagedObjectReference;
  result?: ManagedObjectReference;
}

/** PropertyCollector's `PropertySpec`: which properties of which type to read. */
export interface PropertySpec {
  type: string;
  all?: boolean;
  pathSet?: string[];
}

/** A `SelectionSpec` that names a traversal, or a `TraversalSpec` that walks a property. */
export type SelectionSpec =
  | { kind: 'SelectionSpec'; name: string }
  | { kind: 'TraversalSpec'; name?: string; type: string; path: string; skip?: boolean; selectSet?: SelectionSpec[] };

export interface ObjectSpec {
  obj: ManagedObjectReference;
  skip?: boolean;
  selectSet?: SelectionSpec[];
}

export interface PropertyFilterSpec {
  propSet: PropertySpec[];
  objectSet: ObjectSpec[];
}

/** One object of a property-collector answer; values stay XML until a typed reader decodes them. */
export interface ObjectContent {
  obj: ManagedObjectReference;
  propSet: { name: string; val: import('./xml.js').XmlNode }[];
  missingSet: { path: string; faultType: string }[];
}

export type VirtualMachinePowerState = 'poweredOn' | 'poweredOff' | 'suspended';

/** An `OptionValue` as `extraConfig` holds them. */
export interface OptionValue {
  key: string;
  value: string;
}

/** A virtual disk to create in `deviceChange`. */
export interface NewDisk {
  /** Negative temporary key, unique in the spec. */
  key: number;
  controllerKey: number;
  unitNumber: number;
  capacityKb: number;
  /** Datastore path of the new file's folder, e.g. `[LocalDS_0]`; the server names the file. */
  fileName: string;
  thinProvisioned: boolean;
}

/** A NIC to add in `deviceChange`, on a standard port group named `networkName`. */
export interface NewNic {
  key: number;
  networkName: string;
  network?: ManagedObjectReference;
  macAddress?: string;
}

/** A change to a disk that exists: its key, controller and unit as read from `config.hardware.device`. */
export interface DiskGrowth {
  key: number;
  /** `deviceInfo.label`, e.g. `Hard disk 1` (an edit must carry the device's description). */
  label: string;
  controllerKey: number;
  unitNumber: number;
  capacityKb: number;
  fileName: string;
}

/** `VirtualMachineConfigSpec`, limited to the fields Nubo sets. */
export interface VirtualMachineConfigSpec {
  name?: string;
  instanceUuid?: string;
  guestId?: string;
  annotation?: string;
  /** `files.vmPathName`, e.g. `[LocalDS_0]`. */
  vmPathName?: string;
  numCPUs?: number;
  memoryMB?: number;
  /** A SCSI controller to add, with its temporary key. */
  addScsiController?: { key: number; busNumber: number };
  addDisks?: NewDisk[];
  growDisks?: DiskGrowth[];
  addNics?: NewNic[];
  extraConfig?: OptionValue[];
}
