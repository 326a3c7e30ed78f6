import { createHash } from 'node:crypto';
import type { RequestContext, ServerView } from '@nubo/core';
import { novaTime } from './nova-time.js';

export interface LinkBase {
  /** `http://host:8774` */
  compute: string;
  /** The zone of hosts not placed in one (`defaultAvailabilityZone`). */
  defaultZone?: string;
}

export function serverLinks(base: LinkBase, id: string) {
  return [
    { rel: 'self', href: `${base.compute}/v2.1/servers/${id}` },
    { rel: 'bookmark', href: `${base.compute}/servers/${id}` },
  ];
}

/** Nova's hostId: an opaque per-project hash of the host, so users can tell co-location apart. */
export function hostId(projectId: string, host: string | null): string {
  if (!host) return '';
  const key = `${projectId}\u0000${host}`;
  let id = HOST_IDS.get(key);
  if (id === undefined) {
    id = createHash('sha224').update(projectId + host).digest('hex');
    if (HOST_IDS.size >= 10_000) HOST_IDS.clear();
    HOST_IDS.set(key, id);
  }
  return id;
}

/** hostIds already computed: a listing of 1,000 servers on a few hosts hashes a few times, not 1,000. */
const HOST_IDS = new Map<string, string>();

/** `addresses`: per network label, the fixed IPs of the server. */
export function addresses(view: ServerView): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const a of view.addresses) {
    (out[a.label] ??= []).push({ version: a.address.includes(':') ? 6 : 4, addr: a.address, 'OS-EXT-IPS:type': 'fixed', 'OS-EXT-IPS-MAC:mac_addr': a.macAddress });
  }
  return out;
}

const PROGRESS_STATUSES = new Set(['BUILD', 'REBUILD', 'ACTIVE', 'RESIZE', 'VERIFY_RESIZE', 'MIGRATING']);

/** A server in Nova's 2.1 "detail" form; admin-only attributes only for admins. */
export function serverDetailJson(view: ServerView, ctx: RequestContext, base: LinkBase): Record<string, unknown> {
  // A server placed without a requested zone is in its host's zone (the default one here).
  const i = view.instance;
  const out: Record<string, unknown> = {
    id: i.uuid,
    name: i.name,
    status: view.status,
    tenant_id: i.projectId,
    user_id: i.userId,
    metadata: i.metadata,
    hostId: hostId(i.projectId, i.host),
    image: i.imageRef ? { id: i.imageRef, links: [{ rel: 'bookmark', href: `${base.compute}/images/${i.imageRef}` }] } : '',
    flavor: { id: i.flavorId, links: [{ rel: 'bookmark', href: `${base.compute}/flavors/${i.flavorId}` }] },
    created: novaTime(i.createdAt),
    updated: novaTime(i.updatedAt),
    addresses: addresses(view),
    accessIPv4: i.accessIpV4 ?? '',
    accessIPv6: '',
    links: serverLinks(base, i.uuid),
    'OS-DCF:diskConfig': 'MANUAL',
    'OS-EXT-AZ:availability_zone': i.availabilityZone ?? (i.host ? (base.defaultZone ?? 'nova') : ''),
    config_drive: '',
    key_name: i.keyName,
    'OS-SRV-USG:launched_at': i.launchedAt ? i.launchedAt.toISOString().replace('Z', '000') : null,
    'OS-SRV-USG:terminated_at': i.terminatedAt ? i.terminatedAt.toISOString().replace('Z', '000') : null,
    'OS-EXT-STS:task_state': i.taskState,
    'OS-EXT-STS:vm_state': i.vmState,
    'OS-EXT-STS:power_state': i.powerState,
    'os-extended-volumes:volumes_attached': [],
    security_groups: [{ name: 'default' }],
  };
  if (PROGRESS_STATUSES.has(view.status)) out.progress = view.status === 'BUILD' ? 0 : 100;
  if (ctx.isAdmin) {
    out['OS-EXT-SRV-ATTR:host'] = i.host;
    out['OS-EXT-SRV-ATTR:hypervisor_hostname'] = i.node;
    out['OS-EXT-SRV-ATTR:instance_name'] = `instance-${i.uuid.slice(0, 8)}`;
  }
  if (view.fault) {
    out.fault = {
      code: view.fault.code,
      message: view.fault.message,
      created: novaTime(view.fault.createdAt),
      ...(ctx.isAdmin ? { details: view.fault.details } : {}),
    };
  }
  return out;
}

/** A server in the short list form. */
export function serverSummaryJson(view: ServerView, base: LinkBase): Record<string, unknown> {
  return { id: view.instance.uuid, name: view.instance.name, links: serverLinks(base, view.instance.uuid) };
}
