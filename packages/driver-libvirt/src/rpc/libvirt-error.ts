import { XdrReader } from './xdr.js';
import { readNonnullDomain, readOptionalString } from './types.js';

/** A few of libvirt's `virErrorNumber` codes (include/libvirt/virterror.h) that callers branch on. */
export const LibvirtErrorCode = {
  INTERNAL_ERROR: 1,
  NO_SUPPORT: 3,
  NO_CONNECT: 5,
  INVALID_DOMAIN: 7,
  INVALID_ARG: 8,
  OPERATION_FAILED: 9,
  XML_ERROR: 27,
  XML_DETAIL: 35,
  DOM_EXIST: 28,
  OPERATION_DENIED: 29,
  SYSTEM_ERROR: 38,
  RPC: 39,
  NO_DOMAIN: 42,
  AUTH_FAILED: 45,
  OPERATION_INVALID: 55,
  OPERATION_TIMEOUT: 68,
  NO_DOMAIN_SNAPSHOT: 72,
  NO_STORAGE_POOL: 49,
  NO_STORAGE_VOL: 50,
  OPERATION_UNSUPPORTED: 84,
  AGENT_UNRESPONSIVE: 86,
  NO_DOMAIN_METADATA: 80,
} as const;

/**
 * An error reported by libvirt (a REPLY with status ERROR, carrying `remote_error`), or by
 * the client itself for a broken connection (code RPC, domain RPC).
 */
export class LibvirtError extends Error {
  override readonly name = 'LibvirtError';
  constructor(
    /** `virErrorNumber`, e.g. 42 for VIR_ERR_NO_DOMAIN. */
    readonly code: number,
    /** `virErrorDomain`: the libvirt subsystem that raised it (10 QEMU, 7 RPC, 12 TEST, …). */
    readonly domain: number,
    message: string,
    readonly level = 2,
  ) {
    super(message);
  }

  /** True when the error means the domain (or other object looked up) does not exist. */
  get isNotFound(): boolean {
    return this.code === LibvirtErrorCode.NO_DOMAIN || this.code === LibvirtErrorCode.NO_DOMAIN_SNAPSHOT ||
      this.code === LibvirtErrorCode.NO_STORAGE_POOL || this.code === LibvirtErrorCode.NO_STORAGE_VOL;
  }
}

/** virErrorDomain value for errors the client raises itself. */
export const VIR_FROM_RPC = 7;

/** Decodes `remote_error` (virNetMessageError) into a `LibvirtError`. */
export function decodeRemoteError(body: Buffer): LibvirtError {
  const r = new XdrReader(body);
  const code = r.int();
  const domain = r.int();
  const message = readOptionalString(r) ?? `libvirt error ${code}`;
  const level = r.int();
  r.optional(readNonnullDomain); // dom: unused by the daemon
  // str1..3, int1, int2, net follow; nothing we need.
  return new LibvirtError(code, domain, message, level);
}
