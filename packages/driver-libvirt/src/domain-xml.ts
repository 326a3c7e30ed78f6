/**
 * The libvirt domain XML of a Nubo instance, and the few facts Nubo reads back from the XML
 * libvirt returns (disks, console ports, Nubo's metadata).
 */
import type { InstanceSpec } from '@nubo/core';
import { buildDiskXml, buildNuboMetadata, NUBO_XMLNS, xmlEscape, type DomainDisk } from './domain-xml-elements.js';

export interface DomainNic {
  macAddress: string | null;
}

/** Everything a domain definition is made from. */
export interface DomainDefinition {
  name: string;
  spec: InstanceSpec;
  /** `qemu` (TCG, no hardware acceleration) or `kvm`. */
  virtType: 'qemu' | 'kvm';
  /** Machine type, e.g. `pc` or `q35`. */
  machine: string;
  arch: string;
  disks: DomainDisk[];
  nics: DomainNic[];
  serialLogPath: string;
  /** Where VNC listens; null for no graphics. */
  vncListen: string | null;
  imageId: string | null;
  createdAt: Date;
}

function xmlUnescape(s: string): string {
  return s.replace(/&(lt|gt|amp|apos|quot);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' })[e]!);
}

/** Builds the `<domain>` document for `def`. */
export function buildDomainXml(def: DomainDefinition): string {
  const { spec } = def;
  const a = xmlEscape;
  const disks = def.disks.map((d) => buildDiskXml(d)).join('');
  // User-mode networking until the network service plugs bridges in. No option ROM: the
  // iPXE ROMs are an optional package, and Nubo's guests boot from disk.
  const nics = def.nics.map((n) => `
    <interface type='user'>${n.macAddress ? `
      <mac address='${a(n.macAddress)}'/>` : ''}
      <model type='virtio'/>
      <rom enabled='no'/>
    </interface>`).join('');
  const graphics = def.vncListen === null ? '' : `
    <graphics type='vnc' autoport='yes' listen='${a(def.vncListen)}'>
      <listen type='address' address='${a(def.vncListen)}'/>
    </graphics>
    <video><model type='vga'/></video>`;
  const cpu = def.virtType === 'kvm' ? `
  <cpu mode='host-model'/>` : '';
  return `<domain type='${def.virtType}'>
  <name>${a(def.name)}</name>
  <uuid>${a(spec.uuid)}</uuid>
  <title>${a(spec.name)}</title>
  <metadata>
    ${buildNuboMetadata(def)}
  </metadata>
  <memory unit='MiB'>${spec.memoryMb}</memory>
  <currentMemory unit='MiB'>${spec.memoryMb}</currentMemory>
  <vcpu placement='static'>${spec.vcpus}</vcpu>
  <sysinfo type='smbios'>
    <system>
      <entry name='manufacturer'>Nubo</entry>
      <entry name='product'>Nubo Compute</entry>
      <entry name='serial'>${a(spec.uuid)}</entry>
      <entry name='uuid'>${a(spec.uuid)}</entry>
    </system>
  </sysinfo>
  <os>
    <type arch='${a(def.arch)}' machine='${a(def.machine)}'>hvm</type>
    <boot dev='hd'/>
    <smbios mode='sysinfo'/>
  </os>
  <features><acpi/><apic/></features>${cpu}
  <clock offset='utc'/>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>restart</on_reboot>
  <on_crash>destroy</on_crash>
  <devices>${disks}${nics}
    <serial type='file'>
      <source path='${a(def.serialLogPath)}' append='on'/>
      <target port='0'/>
    </serial>
    <console type='file'>
      <source path='${a(def.serialLogPath)}' append='on'/>
      <target type='serial' port='0'/>
    </console>${graphics}
    <memballoon model='virtio'/>
  </devices>
</domain>
`;
}

/** What Nubo reads back from a domain's XML. */
export interface ParsedDomain {
  name: string | null;
  uuid: string | null;
  disks: DomainDisk[];
  nics: DomainNic[];
  serialLogPath: string | null;
  /** The VNC port of a running domain (autoport fills it in); null when not running or none. */
  vncPort: number | null;
  vncListen: string | null;
  /** Nubo's metadata element, when the domain is one of Nubo's. */
  nubo: { name: string; projectId: string; imageId: string | null; flavor: Pick<InstanceSpec, 'memoryMb' | 'vcpus' | 'rootGb' | 'ephemeralGb' | 'swapMb'> } | null;
}

const attr = (tag: string, name: string): string | null => {
  const m = new RegExp(`\\s${name}=(?:'([^']*)'|"([^"]*)")`).exec(tag);
  return m ? xmlUnescape(m[1] ?? m[2] ?? '') : null;
};
const text = (xml: string, tag: string): string | null => {
  const m = new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`).exec(xml);
  return m ? xmlUnescape(m[1]!) : null;
};

/**
 * Reads the facts Nubo needs from a domain XML as libvirt prints it (a flat, well-formed
 * document; no general XML parser needed for these elements).
 */
export function parseDomainXml(xml: string): ParsedDomain {
  const disks: DomainDisk[] = [];
  for (const m of xml.matchAll(/<disk\s[^>]*>([\s\S]*?)<\/disk>/g)) {
    const body = m[1]!;
    const source = /<source\s[^>]*>/.exec(body)?.[0];
    const driver = /<driver\s[^>]*>/.exec(body)?.[0];
    const target = /<target\s[^>]*>/.exec(body)?.[0];
    const path = source ? attr(source, 'file') : null;
    const serial = text(body, 'serial');
    if (path) {
      disks.push({ path, format: (driver && attr(driver, 'type')) ?? 'raw', target: (target && attr(target, 'dev')) ?? '', ...(serial ? { serial } : {}) });
    }
  }
  const serial = /<serial\s+type=['"]file['"][^>]*>([\s\S]*?)<\/serial>/.exec(xml)?.[1];
  const serialSource = serial ? /<source\s[^>]*>/.exec(serial)?.[0] : undefined;
  const graphics = /<graphics\s+type=['"]vnc['"][^>]*>/.exec(xml)?.[0];
  const port = graphics ? Number(attr(graphics, 'port')) : NaN;
  const meta = /<(\w+):instance\s+xmlns:\1=['"]([^'"]+)['"][^>]*>([\s\S]*?)<\/\1:instance>/.exec(xml);
  let nubo: ParsedDomain['nubo'] = null;
  if (meta && meta[2] === NUBO_XMLNS) {
    const p = meta[1]!;
    const body = meta[3]!;
    const flavor = new RegExp(`<${p}:flavor\\s[^>]*>`).exec(body)?.[0] ?? '';
    const owner = new RegExp(`<${p}:owner\\s[^>]*>`).exec(body)?.[0] ?? '';
    const image = new RegExp(`<${p}:image\\s[^>]*>`).exec(body)?.[0];
    const num = (n: string) => Number(attr(flavor, n) ?? 0);
    nubo = {
      name: text(body, `${p}:name`) ?? '',
      projectId: attr(owner, 'projectId') ?? '',
      imageId: image ? attr(image, 'id') : null,
      flavor: { memoryMb: num('memoryMb'), vcpus: num('vcpus'), rootGb: num('rootGb'), ephemeralGb: num('ephemeralGb'), swapMb: num('swapMb') },
    };
  }
  const nics: DomainNic[] = [...xml.matchAll(/<interface\s[^>]*>([\s\S]*?)<\/interface>/g)].map((m) => {
    const mac = /<mac\s[^>]*>/.exec(m[1]!)?.[0];
    return { macAddress: mac ? attr(mac, 'address') : null };
  });
  return {
    name: text(xml, 'name'),
    uuid: text(xml, 'uuid'),
    disks,
    nics,
    serialLogPath: serialSource ? attr(serialSource, 'path') : null,
    vncPort: Number.isInteger(port) && port > 0 ? port : null,
    vncListen: graphics ? attr(graphics, 'listen') : null,
    nubo,
  };
}
