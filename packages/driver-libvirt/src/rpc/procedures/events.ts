/** Domain event callback registration and the lifecycle event message. */
import { XdrReader, XdrWriter } from '../xdr.js';
import type { RemoteCaller } from '../rpc-client.js';
import { readNonnullDomain, writeNonnullDomain, type RemoteDomain } from '../types.js';
import { RemoteProcedure as P } from './remote-procedure.js';

/** `virDomainEventID` */
export const DomainEventId = { LIFECYCLE: 0 } as const;

/** `virDomainEventType` */
export const DomainEventType = {
  DEFINED: 0, UNDEFINED: 1, STARTED: 2, SUSPENDED: 3, RESUMED: 4, STOPPED: 5, SHUTDOWN: 6, PMSUSPENDED: 7, CRASHED: 8,
} as const;
export type DomainEventType = (typeof DomainEventType)[keyof typeof DomainEventType];

/** `virDomainEventStoppedDetailType` */
export const StoppedDetail = { SHUTDOWN: 0, DESTROYED: 1, CRASHED: 2, MIGRATED: 3, SAVED: 4, FAILED: 5, FROM_SNAPSHOT: 6 } as const;

/** A lifecycle event as libvirt sends it. */
export interface DomainLifecycleEvent {
  callbackId: number;
  domain: RemoteDomain;
  event: DomainEventType;
  /** Per-event detail enum, e.g. `StoppedDetail`. */
  detail: number;
}

/** CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY (316): `dom` null means every domain. */
export function connectDomainEventCallbackRegisterAny(rpc: RemoteCaller, eventId: number, dom: RemoteDomain | null = null): Promise<number> {
  const w = new XdrWriter().int(eventId);
  w.optional(dom, writeNonnullDomain);
  return rpc.call(P.CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY, w.toBuffer(), (r) => r.int());
}

/** CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY (317) */
export function connectDomainEventCallbackDeregisterAny(rpc: RemoteCaller, callbackId: number): Promise<void> {
  const w = new XdrWriter().int(callbackId);
  return rpc.call(P.CONNECT_DOMAIN_EVENT_CALLBACK_DEREGISTER_ANY, w.toBuffer(), () => undefined);
}

/** Decodes the body of a DOMAIN_EVENT_CALLBACK_LIFECYCLE (318) message. */
export function decodeLifecycleEvent(body: Buffer): DomainLifecycleEvent {
  const r = new XdrReader(body);
  const callbackId = r.int();
  const domain = readNonnullDomain(r);
  const event = r.int() as DomainEventType;
  const detail = r.int();
  r.end();
  return { callbackId, domain, event, detail };
}
