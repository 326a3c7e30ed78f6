/** Codecs for the shared types of remote_protocol.x (domain handles, strings, UUIDs). */
import { XdrReader, XdrWriter } from './xdr.js';

/** REMOTE_STRING_MAX */
export const STRING_MAX = 4194304;
/** VIR_UUID_BUFLEN */
export const UUID_BUFLEN = 16;

/** `remote_nonnull_domain`: how libvirt names a domain on the wire. */
export interface RemoteDomain {
  name: string;
  /** Canonical lower-case UUID string. */
  uuid: string;
  /** Runtime id; -1 when the domain is not running. */
  id: number;
}

export function uuidToBytes(uuid: string): Buffer {
  const hex = uuid.replace(/-/g, '');
  if (!/^[0-9a-fA-F]{32}$/.test(hex)) throw new TypeError(`not a UUID: ${uuid}`);
  return Buffer.from(hex, 'hex');
}

export function uuidFromBytes(b: Buffer): string {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function writeNonnullDomain(w: XdrWriter, d: RemoteDomain): void {
  w.string(d.name, STRING_MAX).fixedOpaque(uuidToBytes(d.uuid), UUID_BUFLEN).int(d.id);
}

export function readNonnullDomain(r: XdrReader): RemoteDomain {
  const name = r.string(STRING_MAX);
  const uuid = uuidFromBytes(r.fixedOpaque(UUID_BUFLEN));
  const id = r.int();
  return { name, uuid, id };
}

export function readOptionalString(r: XdrReader): string | null {
  return r.optional((x) => x.string(STRING_MAX));
}

export function writeOptionalString(w: XdrWriter, s: string | null): void {
  w.optional(s, (x, v) => x.string(v, STRING_MAX));
}

/** `remote_nonnull_storage_pool` */
export interface RemoteStoragePool {
  name: string;
  uuid: string;
}

/** `remote_nonnull_storage_vol` */
export interface RemoteStorageVol {
  pool: string;
  name: string;
  key: string;
}

export function writeNonnullStoragePool(w: XdrWriter, p: RemoteStoragePool): void {
  w.string(p.name, STRING_MAX).fixedOpaque(uuidToBytes(p.uuid), UUID_BUFLEN);
}

export function readNonnullStoragePool(r: XdrReader): RemoteStoragePool {
  return { name: r.string(STRING_MAX), uuid: uuidFromBytes(r.fixedOpaque(UUID_BUFLEN)) };
}

export function writeNonnullStorageVol(w: XdrWriter, v: RemoteStorageVol): void {
  w.string(v.pool, STRING_MAX).string(v.name, STRING_MAX).string(v.key, STRING_MAX);
}

export function readNonnullStorageVol(r: XdrReader): RemoteStorageVol {
  return { pool: r.string(STRING_MAX), name: r.string(STRING_MAX), key: r.string(STRING_MAX) };
}

/** `remote_nonnull_domain_snapshot` */
export interface RemoteDomainSnapshot {
  name: string;
  domain: RemoteDomain;
}

export function writeNonnullDomainSnapshot(w: XdrWriter, s: RemoteDomainSnapshot): void {
  w.string(s.name, STRING_MAX);
  writeNonnullDomain(w, s.domain);
}

export function readNonnullDomainSnapshot(r: XdrReader): RemoteDomainSnapshot {
  const name = r.string(STRING_MAX);
  return { name, domain: readNonnullDomain(r) };
}
