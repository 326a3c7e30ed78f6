import type { AboutInfo, ManagedObjectReference, ObjectContent, OptionValue, ServiceContent } from './types.js';
import { child, childrenNamed, childText, type XmlNode } from './xml.js';

/** Reads a managed object reference element (`<x type="VirtualMachine">vm-1</x>`). */
export function decodeMoRef(node: XmlNode): ManagedObjectReference {
  return { type: node.type ?? '', value: node.text };
}

function requiredMoRef(node: XmlNode, name: string): ManagedObjectReference {
  const c = child(node, name);
  if (!c) throw new Error(`ServiceContent has no ${name}`);
  return decodeMoRef(c);
}

function optionalMoRef(node: XmlNode, name: string): ManagedObjectReference | undefined {
  const c = child(node, name);
  return c ? decodeMoRef(c) : undefined;
}

export function decodeServiceContent(node: XmlNode): ServiceContent {
  const aboutNode = child(node, 'about');
  const about: AboutInfo = {
    name: (aboutNode && childText(aboutNode, 'name')) ?? '',
    fullName: (aboutNode && childText(aboutNode, 'fullName')) ?? '',
    version: (aboutNode && childText(aboutNode, 'version')) ?? '',
    build: (aboutNode && childText(aboutNode, 'build')) ?? '',
    apiType: (aboutNode && childText(aboutNode, 'apiType')) ?? '',
    apiVersion: (aboutNode && childText(aboutNode, 'apiVersion')) ?? '',
    instanceUuid: aboutNode && childText(aboutNode, 'instanceUuid'),
  };
  return {
    rootFolder: requiredMoRef(node, 'rootFolder'),
    propertyCollector: requiredMoRef(node, 'propertyCollector'),
    viewManager: optionalMoRef(node, 'viewManager'),
    sessionManager: optionalMoRef(node, 'sessionManager'),
    searchIndex: requiredMoRef(node, 'searchIndex'),
    virtualDiskManager: optionalMoRef(node, 'virtualDiskManager'),
    fileManager: optionalMoRef(node, 'fileManager'),
    about,
  };
}

export function decodeObjectContent(node: XmlNode): ObjectContent {
  const obj = child(node, 'obj');
  return {
    obj: obj ? decodeMoRef(obj) : { type: '', value: '' },
    propSet: childrenNamed(node, 'propSet').map((p) => ({ name: childText(p, 'name') ?? '', val: child(p, 'val')! })),
    missingSet: childrenNamed(node, 'missingSet').map((m) => ({
      path: childText(m, 'path') ?? '',
      faultType: child(m, 'fault')?.children.find((c) => c.name === 'fault')?.xsiType ?? child(m, 'fault')?.xsiType ?? '',
    })),
  };
}

/** The value of property `path` of one object, or undefined when it is unset. */
export function prop(content: ObjectContent, path: string): XmlNode | undefined {
  return content.propSet.find((p) => p.name === path)?.val;
}

export function propString(content: ObjectContent, path: string): string | undefined {
  return prop(content, path)?.text;
}

export function propNumber(content: ObjectContent, path: string): number | undefined {
  const t = prop(content, path)?.text;
  return t === undefined || t === '' ? undefined : Number(t);
}

export function propMoRef(content: ObjectContent, path: string): ManagedObjectReference | undefined {
  const v = prop(content, path);
  return v ? decodeMoRef(v) : undefined;
}

/** An `ArrayOfManagedObjectReference` property (e.g. `vm`, `host`, `datastore`). */
export function propMoRefs(content: ObjectContent, path: string): ManagedObjectReference[] {
  const v = prop(content, path);
  return v ? v.children.map(decodeMoRef) : [];
}

/** An `ArrayOfOptionValue` property (`config.extraConfig`). */
export function propOptionValues(content: ObjectContent, path: string): OptionValue[] {
  const v = prop(content, path);
  if (!v) return [];
  return v.children.map((o) => ({ key: childText(o, 'key') ?? '', value: childText(o, 'value') ?? '' }));
}

/** A number inside a data object, e.g. `numeric(summary, 'totalMemory')`. */
export function numeric(node: XmlNode | undefined, name: string): number | undefined {
  const t = node && childText(node, name);
  return t === undefined || t === '' ? undefined : Number(t);
}

/** A `VirtualDisk` of `config.hardware.device`. */
export interface VirtualDiskInfo {
  key: number;
  label: string;
  controllerKey: number;
  unitNumber: number;
  capacityKb: number;
  fileName: string;
}

/** The virtual disks among an `ArrayOfVirtualDevice` (`config.hardware.device`). */
export function decodeVirtualDisks(devices: XmlNode | undefined): VirtualDiskInfo[] {
  if (!devices) return [];
  return devices.children
    .filter((d) => d.xsiType === 'VirtualDisk')
    .map((d) => {
      const backing = child(d, 'backing');
      const info = child(d, 'deviceInfo');
      return {
        key: numeric(d, 'key') ?? 0,
        label: (info && childText(info, 'label')) ?? '',
        controllerKey: numeric(d, 'controllerKey') ?? 0,
        unitNumber: numeric(d, 'unitNumber') ?? 0,
        capacityKb: numeric(d, 'capacityInKB') ?? 0,
        fileName: (backing && childText(backing, 'fileName')) ?? '',
      };
    });
}
