/** Domain procedures: lookup, define, lifecycle, state, XML, tuning. */
import { XdrWriter, type XdrReader } from '../xdr.js';
import type { RemoteCaller, StreamCaller } from '../rpc-client.js';
import type { RpcStream } from '../rpc-stream.js';
import { readNonnullDomain, STRING_MAX, uuidToBytes, UUID_BUFLEN, writeNonnullDomain, writeOptionalString, type RemoteDomain } from '../types.js';
import { RemoteProcedure as P } from './remote-procedure.js';

const none = (): void => undefined;

function domArgs(dom: RemoteDomain, flags?: number): Buffer {
  const w = new XdrWriter();
  writeNonnullDomain(w, dom);
  if (flags !== undefined) w.uint(flags);
  return w.toBuffer();
}

/** `virDomainState` */
export const DomainState = {
  NOSTATE: 0, RUNNING: 1, BLOCKED: 2, PAUSED: 3, SHUTDOWN: 4, SHUTOFF: 5, CRASHED: 6, PMSUSPENDED: 7,
} as const;
export type DomainState = (typeof DomainState)[keyof typeof DomainState];

/** `virConnectListAllDomainsFlags` */
export const ListDomainsFlags = { ACTIVE: 1, INACTIVE: 2, PERSISTENT: 4, TRANSIENT: 8, RUNNING: 16, PAUSED: 32, SHUTOFF: 64 } as const;
/** `virDomainUndefineFlagsValues` */
export const UndefineFlags = { MANAGED_SAVE: 1, SNAPSHOTS_METADATA: 2, NVRAM: 4, KEEP_NVRAM: 8, CHECKPOINTS_METADATA: 16 } as const;
/** `virDomainDestroyFlagsValues` */
export const DestroyFlags = { DEFAULT: 0, GRACEFUL: 1 } as const;
/** `virDomainShutdownFlagValues` / `virDomainRebootFlagValues` */
export const ShutdownFlags = { DEFAULT: 0, ACPI_POWER_BTN: 1, GUEST_AGENT: 2 } as const;
/** `virDomainModificationImpact`, `virDomainVcpuFlags`, `virDomainMemoryModFlags` */
export const ModificationFlags = { CURRENT: 0, LIVE: 1, CONFIG: 2, MAXIMUM: 4 } as const;
/** `virDomainXMLFlags` */
export const XmlFlags = { SECURE: 1, INACTIVE: 2, UPDATE_CPU: 4, MIGRATABLE: 8 } as const;
/** `virDomainDefineFlags` */
export const DefineFlags = { VALIDATE: 1 } as const;

/** CONNECT_LIST_ALL_DOMAINS (273) */
export function connectListAllDomains(rpc: RemoteCaller, flags = 0): Promise<RemoteDomain[]> {
  const w = new XdrWriter().int(1).uint(flags);
  return rpc.call(P.CONNECT_LIST_ALL_DOMAINS, w.toBuffer(), (r) => {
    const domains = r.array(readNonnullDomain, 16384);
    r.uint(); // ret: the count again
    return domains;
  });
}

/** DOMAIN_LOOKUP_BY_UUID (24); rejects with code NO_DOMAIN when there is none. */
export function domainLookupByUuid(rpc: RemoteCaller, uuid: string): Promise<RemoteDomain> {
  const w = new XdrWriter().fixedOpaque(uuidToBytes(uuid), UUID_BUFLEN);
  return rpc.call(P.DOMAIN_LOOKUP_BY_UUID, w.toBuffer(), readNonnullDomain);
}

/** DOMAIN_LOOKUP_BY_NAME (23) */
export function domainLookupByName(rpc: RemoteCaller, name: string): Promise<RemoteDomain> {
  const w = new XdrWriter().string(name, STRING_MAX);
  return rpc.call(P.DOMAIN_LOOKUP_BY_NAME, w.toBuffer(), readNonnullDomain);
}

/** DOMAIN_DEFINE_XML_FLAGS (350): defines (or redefines) a persistent domain. */
export function domainDefineXml(rpc: RemoteCaller, xml: string, flags = 0): Promise<RemoteDomain> {
  const w = new XdrWriter().string(xml, STRING_MAX).uint(flags);
  return rpc.call(P.DOMAIN_DEFINE_XML_FLAGS, w.toBuffer(), readNonnullDomain);
}

/** DOMAIN_CREATE_WITH_FLAGS (196): starts a defined domain (restoring a managed save if any). */
export function domainCreate(rpc: RemoteCaller, dom: RemoteDomain, flags = 0): Promise<RemoteDomain> {
  return rpc.call(P.DOMAIN_CREATE_WITH_FLAGS, domArgs(dom, flags), readNonnullDomain);
}

/** DOMAIN_DESTROY_FLAGS (234): hard power-off. */
export function domainDestroy(rpc: RemoteCaller, dom: RemoteDomain, flags: number = DestroyFlags.DEFAULT): Promise<void> {
  return rpc.call(P.DOMAIN_DESTROY_FLAGS, domArgs(dom, flags), none);
}

/** DOMAIN_UNDEFINE_FLAGS (231) */
export function domainUndefine(rpc: RemoteCaller, dom: RemoteDomain, flags = 0): Promise<void> {
  return rpc.call(P.DOMAIN_UNDEFINE_FLAGS, domArgs(dom, flags), none);
}

/** DOMAIN_SHUTDOWN_FLAGS (258): asks the guest to shut down (ACPI by default); returns at once. */
export function domainShutdown(rpc: RemoteCaller, dom: RemoteDomain, flags: number = ShutdownFlags.DEFAULT): Promise<void> {
  return rpc.call(P.DOMAIN_SHUTDOWN_FLAGS, domArgs(dom, flags), none);
}

/** DOMAIN_REBOOT (27): asks the guest to reboot; returns at once. */
export function domainReboot(rpc: RemoteCaller, dom: RemoteDomain, flags: number = ShutdownFlags.DEFAULT): Promise<void> {
  return rpc.call(P.DOMAIN_REBOOT, domArgs(dom, flags), none);
}

/** DOMAIN_RESET (245): hardware reset, like pressing the reset button. */
export function domainReset(rpc: RemoteCaller, dom: RemoteDomain): Promise<void> {
  return rpc.call(P.DOMAIN_RESET, domArgs(dom, 0), none);
}

/** DOMAIN_SUSPEND (34): pauses the vCPUs (state PAUSED). */
export function domainSuspend(rpc: RemoteCaller, dom: RemoteDomain): Promise<void> {
  return rpc.call(P.DOMAIN_SUSPEND, domArgs(dom), none);
}

/** DOMAIN_RESUME (28) */
export function domainResume(rpc: RemoteCaller, dom: RemoteDomain): Promise<void> {
  return rpc.call(P.DOMAIN_RESUME, domArgs(dom), none);
}

/** DOMAIN_MANAGED_SAVE (182): saves memory to libvirt's managed image and stops the domain. */
export function domainManagedSave(rpc: RemoteCaller, dom: RemoteDomain, flags = 0): Promise<void> {
  return rpc.call(P.DOMAIN_MANAGED_SAVE, domArgs(dom, flags), none);
}

/** DOMAIN_HAS_MANAGED_SAVE_IMAGE (183) */
export function domainHasManagedSaveImage(rpc: RemoteCaller, dom: RemoteDomain): Promise<boolean> {
  return rpc.call(P.DOMAIN_HAS_MANAGED_SAVE_IMAGE, domArgs(dom, 0), (r) => r.int() !== 0);
}

/** DOMAIN_MANAGED_SAVE_REMOVE (184) */
export function domainManagedSaveRemove(rpc: RemoteCaller, dom: RemoteDomain): Promise<void> {
  return rpc.call(P.DOMAIN_MANAGED_SAVE_REMOVE, domArgs(dom, 0), none);
}

/** `virDomainInfo` */
export interface DomainInfo {
  state: DomainState;
  maxMemKib: number;
  memoryKib: number;
  nrVirtCpu: number;
  cpuTimeNs: bigint;
}

/** DOMAIN_GET_INFO (16) */
export function domainGetInfo(rpc: RemoteCaller, dom: RemoteDomain): Promise<DomainInfo> {
  return rpc.call(P.DOMAIN_GET_INFO, domArgs(dom), (r: XdrReader) => ({
    state: r.int() as DomainState, // unsigned char: a whole word
    maxMemKib: Number(r.uhyper()),
    memoryKib: Number(r.uhyper()),
    nrVirtCpu: r.int(), // unsigned short: a whole word
    cpuTimeNs: r.uhyper(),
  }));
}

/** DOMAIN_GET_STATE (212): state and the reason for it (per-state enums of libvirt). */
export function domainGetState(rpc: RemoteCaller, dom: RemoteDomain): Promise<{ state: DomainState; reason: number }> {
  return rpc.call(P.DOMAIN_GET_STATE, domArgs(dom, 0), (r) => ({ state: r.int() as DomainState, reason: r.int() }));
}

/** DOMAIN_GET_XML_DESC (14): live XML, or the persistent one with `XmlFlags.INACTIVE`. */
export function domainGetXmlDesc(rpc: RemoteCaller, dom: RemoteDomain, flags = 0): Promise<string> {
  return rpc.call(P.DOMAIN_GET_XML_DESC, domArgs(dom, flags), (r) => r.string(STRING_MAX));
}

/** DOMAIN_SET_MEMORY_FLAGS (204): memory in KiB. */
export function domainSetMemory(rpc: RemoteCaller, dom: RemoteDomain, memoryKib: number, flags: number = ModificationFlags.CURRENT): Promise<void> {
  const w = new XdrWriter();
  writeNonnullDomain(w, dom);
  w.uhyper(BigInt(memoryKib)).uint(flags);
  return rpc.call(P.DOMAIN_SET_MEMORY_FLAGS, w.toBuffer(), none);
}

/** DOMAIN_SET_VCPUS_FLAGS (199) */
export function domainSetVcpus(rpc: RemoteCaller, dom: RemoteDomain, nvcpus: number, flags: number = ModificationFlags.CURRENT): Promise<void> {
  const w = new XdrWriter();
  writeNonnullDomain(w, dom);
  w.uint(nvcpus).uint(flags);
  return rpc.call(P.DOMAIN_SET_VCPUS_FLAGS, w.toBuffer(), none);
}

/** DOMAIN_ATTACH_DEVICE_FLAGS (160): hot-plugs (LIVE) and/or persists (CONFIG) a device XML. */
export function domainAttachDevice(rpc: RemoteCaller, dom: RemoteDomain, xml: string, flags: number = ModificationFlags.CURRENT): Promise<void> {
  const w = new XdrWriter();
  writeNonnullDomain(w, dom);
  w.string(xml, STRING_MAX).uint(flags);
  return rpc.call(P.DOMAIN_ATTACH_DEVICE_FLAGS, w.toBuffer(), none);
}

/** DOMAIN_DETACH_DEVICE_FLAGS (161) */
export function domainDetachDevice(rpc: RemoteCaller, dom: RemoteDomain, xml: string, flags: number = ModificationFlags.CURRENT): Promise<void> {
  const w = new XdrWriter();
  writeNonnullDomain(w, dom);
  w.string(xml, STRING_MAX).uint(flags);
  return rpc.call(P.DOMAIN_DETACH_DEVICE_FLAGS, w.toBuffer(), none);
}

export const OpenConsoleFlags = { FORCE: 1, SAFE: 2 } as const;

/**
 * DOMAIN_OPEN_CONSOLE (201): the console's output arrives on the returned stream's `data`
 * (`devName` null = the first console).
 */
export async function domainOpenConsole(rpc: StreamCaller, dom: RemoteDomain, devName: string | null, flags = 0): Promise<RpcStream> {
  const w = new XdrWriter();
  writeNonnullDomain(w, dom);
  writeOptionalString(w, devName);
  w.uint(flags);
  return (await rpc.callWithStream(P.DOMAIN_OPEN_CONSOLE, w.toBuffer(), none)).stream;
}
