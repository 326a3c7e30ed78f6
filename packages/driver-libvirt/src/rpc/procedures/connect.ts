/** Connection-level procedures: handshake, identity of the host, node info, capabilities. */
import { XdrWriter, type XdrReader } from '../xdr.js';
import type { RemoteCaller } from '../rpc-client.js';
import { STRING_MAX, writeOptionalString } from '../types.js';
import { RemoteProcedure as P } from './remote-procedure.js';

const none = (): void => undefined;
const str = (r: XdrReader): string => r.string(STRING_MAX);

/** `remote_auth_type` */
export const AuthType = { NONE: 0, SASL: 1, POLKIT: 2 } as const;

/** Feature numbers for CONNECT_SUPPORTS_FEATURE (libvirt_internal.h `virDrvFeature`). */
export const DrvFeature = { PROGRAM_KEEPALIVE: 10, REMOTE_EVENT_CALLBACK: 14, REMOTE_CLOSE_CALLBACK: 15 } as const;

/** AUTH_LIST (66): must be the first call; root over the unix socket gets `[NONE]` and is in. */
export function authList(rpc: RemoteCaller): Promise<number[]> {
  return rpc.call(P.AUTH_LIST, null, (r) => r.array((x) => x.int(), 20));
}

/** CONNECT_OPEN (1): binds this socket to one hypervisor URI, e.g. `qemu:///system`. */
export function connectOpen(rpc: RemoteCaller, uri: string | null, flags = 0): Promise<void> {
  const w = new XdrWriter();
  writeOptionalString(w, uri);
  w.uint(flags);
  return rpc.call(P.CONNECT_OPEN, w.toBuffer(), none);
}

/** CONNECT_CLOSE (2) */
export function connectClose(rpc: RemoteCaller): Promise<void> {
  return rpc.call(P.CONNECT_CLOSE, null, none);
}

/** CONNECT_GET_TYPE (3): `QEMU`, `TEST`, … */
export function connectGetType(rpc: RemoteCaller): Promise<string> {
  return rpc.call(P.CONNECT_GET_TYPE, null, str);
}

/** CONNECT_GET_VERSION (4): the hypervisor's version, major * 1e6 + minor * 1e3 + release. */
export function connectGetVersion(rpc: RemoteCaller): Promise<number> {
  return rpc.call(P.CONNECT_GET_VERSION, null, (r) => Number(r.uhyper()));
}

/** CONNECT_GET_LIB_VERSION (157): libvirt's own version, same encoding. */
export function connectGetLibVersion(rpc: RemoteCaller): Promise<number> {
  return rpc.call(P.CONNECT_GET_LIB_VERSION, null, (r) => Number(r.uhyper()));
}

/** CONNECT_GET_HOSTNAME (59) */
export function connectGetHostname(rpc: RemoteCaller): Promise<string> {
  return rpc.call(P.CONNECT_GET_HOSTNAME, null, str);
}

/** CONNECT_GET_URI (110): the canonical URI the connection is bound to. */
export function connectGetUri(rpc: RemoteCaller): Promise<string> {
  return rpc.call(P.CONNECT_GET_URI, null, str);
}

/** CONNECT_GET_CAPABILITIES (7): the capabilities XML (host CPU, guest architectures and domain types). */
export function connectGetCapabilities(rpc: RemoteCaller): Promise<string> {
  return rpc.call(P.CONNECT_GET_CAPABILITIES, null, str);
}

/** CONNECT_SUPPORTS_FEATURE (60) */
export function connectSupportsFeature(rpc: RemoteCaller, feature: number): Promise<boolean> {
  const w = new XdrWriter().int(feature);
  return rpc.call(P.CONNECT_SUPPORTS_FEATURE, w.toBuffer(), (r) => r.int() !== 0);
}

/** `virNodeInfo` */
export interface NodeInfo {
  model: string;
  /** KiB */
  memoryKib: number;
  cpus: number;
  mhz: number;
  nodes: number;
  sockets: number;
  cores: number;
  threads: number;
}

/** NODE_GET_INFO (6) */
export function nodeGetInfo(rpc: RemoteCaller): Promise<NodeInfo> {
  return rpc.call(P.NODE_GET_INFO, null, (r) => {
    // `char model[32]`: rpcgen encodes a fixed char array element by element, 4 bytes each.
    const chars: number[] = [];
    for (let i = 0; i < 32; i++) chars.push(r.int() & 0xff);
    const end = chars.indexOf(0);
    const model = Buffer.from(end >= 0 ? chars.slice(0, end) : chars).toString('latin1');
    return {
      model,
      memoryKib: Number(r.uhyper()),
      cpus: r.int(),
      mhz: r.int(),
      nodes: r.int(),
      sockets: r.int(),
      cores: r.int(),
      threads: r.int(),
    };
  });
}

/** NODE_GET_FREE_MEMORY (102): bytes the hypervisor has not given to any domain. */
export function nodeGetFreeMemory(rpc: RemoteCaller): Promise<bigint> {
  return rpc.call(P.NODE_GET_FREE_MEMORY, null, (r) => r.uhyper());
}
