/** Domain snapshot procedures (libvirt-managed snapshots: internal qcow2 or external). */
import { XdrWriter } from '../xdr.js';
import type { RemoteCaller } from '../rpc-client.js';
import { readNonnullDomainSnapshot, STRING_MAX, writeNonnullDomain, writeNonnullDomainSnapshot, type RemoteDomain, type RemoteDomainSnapshot } from '../types.js';
import { RemoteProcedure as P } from './remote-procedure.js';

/** `virDomainSnapshotCreateFlags` (the ones worth naming) */
export const SnapshotCreateFlags = { DISK_ONLY: 16, ATOMIC: 128, NO_METADATA: 4 } as const;

/** DOMAIN_SNAPSHOT_CREATE_XML (185): `xml` is a `<domainsnapshot>` document. */
export function domainSnapshotCreateXml(rpc: RemoteCaller, dom: RemoteDomain, xml: string, flags = 0): Promise<RemoteDomainSnapshot> {
  const w = new XdrWriter();
  writeNonnullDomain(w, dom);
  w.string(xml, STRING_MAX).uint(flags);
  return rpc.call(P.DOMAIN_SNAPSHOT_CREATE_XML, w.toBuffer(), readNonnullDomainSnapshot);
}

/** DOMAIN_SNAPSHOT_DELETE (193) */
export function domainSnapshotDelete(rpc: RemoteCaller, snap: RemoteDomainSnapshot, flags = 0): Promise<void> {
  const w = new XdrWriter();
  writeNonnullDomainSnapshot(w, snap);
  w.uint(flags);
  return rpc.call(P.DOMAIN_SNAPSHOT_DELETE, w.toBuffer(), () => undefined);
}
