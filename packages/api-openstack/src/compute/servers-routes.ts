import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequest, type CreateServerInput, type NetworkRequest, type ServerListFilter, type ServerStatus } from '@nubo/core';
import { body } from '../http/json-schema.js';
import { queryDate, queryFlag, queryInt, queryOf } from '../http/query-params.js';
import type { ComputeRouteDeps } from './route-deps.js';
import { createServerSchema, updateServerSchema } from './server-schemas.js';
import { refId } from './server-refs.js';
import { serverDetailJson, serverLinks, serverSummaryJson } from './server-view-json.js';

interface CreateBody {
  server: {
    name: string; imageRef?: string | number | null; flavorRef: string | number; metadata?: Record<string, string>;
    networks?: 'auto' | 'none' | { uuid?: string; fixed_ip?: string; port?: string | null }[];
    availability_zone?: string | null; key_name?: string | null; min_count?: number | string; max_count?: number | string;
    return_reservation_id?: boolean | string; user_data?: string | null; accessIPv4?: string | null;
  };
  'os:scheduler_hints'?: Record<string, string | string[]>;
  'OS-SCH-HNT:scheduler_hints'?: Record<string, string | string[]>;
}

function networksOf(n: CreateBody['server']['networks']): NetworkRequest | undefined {
  if (n === undefined || n === 'auto' || n === 'none') return n;
  if (n.some((e) => e.port || e.fixed_ip)) throw new BadRequest('Requesting a port or a fixed IP is not supported: request networks by uuid.');
  if (n.some((e) => !e.uuid)) throw new BadRequest('Bad networks format: network uuid is required.');
  return { networkIds: n.map((e) => e.uuid!) };
}

function createInput(b: CreateBody): CreateServerInput {
  const s = b.server;
  const flavorRef = refId(s.flavorRef);
  if (!flavorRef) throw new BadRequest('Invalid flavorRef provided.');
  return {
    name: s.name,
    flavorRef,
    imageRef: refId(s.imageRef),
    keyName: s.key_name ?? null,
    metadata: s.metadata,
    userData: s.user_data ?? null,
    availabilityZone: s.availability_zone || null,
    networks: networksOf(s.networks),
    minCount: s.min_count === undefined ? undefined : Number(s.min_count),
    maxCount: s.max_count === undefined ? undefined : Number(s.max_count),
    accessIpV4: s.accessIPv4 || null,
    schedulerHints: b['os:scheduler_hints'] ?? b['OS-SCH-HNT:scheduler_hints'],
  };
}

const STATUSES = new Set<ServerStatus>(['ACTIVE', 'BUILD', 'SHUTOFF', 'PAUSED', 'SUSPENDED', 'ERROR', 'VERIFY_RESIZE', 'DELETED', 'RESCUE', 'SHELVED', 'SHELVED_OFFLOADED', 'SOFT_DELETED', 'REBOOT', 'HARD_REBOOT', 'REBUILD', 'RESIZE', 'REVERT_RESIZE', 'MIGRATING', 'PASSWORD', 'UNKNOWN']);

/** Nova's list filters from the query string; unknown ones are ignored, as Nova does. */
function listFilter(req: FastifyRequest): ServerListFilter {
  const q = queryOf(req);
  const f: ServerListFilter = {};
  if (q.name) f.name = q.name;
  if (q.status) {
    const status = q.status.toUpperCase() as ServerStatus;
    // Before 2.38 an unknown status is not an error: it matches nothing.
    f.status = STATUSES.has(status) ? status : ('UNKNOWN' as ServerStatus);
  }
  if (q.host) f.host = q.host;
  if (q.flavor) f.flavor = refId(q.flavor)!;
  if (q.image) f.image = refId(q.image)!;
  f.changesSince = queryDate(q, 'changes-since');
  if (queryFlag(q, 'all_tenants')) f.allTenants = true;
  const project = q.project_id ?? q.tenant_id;
  if (project && f.allTenants) f.projectId = project;
  if (queryFlag(q, 'deleted')) f.deleted = true;
  f.limit = queryInt(q, 'limit');
  if (q.marker) f.marker = q.marker;
  if (q.sort_dir) {
    if (q.sort_dir !== 'asc' && q.sort_dir !== 'desc') throw new BadRequest(`Invalid sort_dir ${q.sort_dir.slice(0, 32)}: asc or desc.`);
    f.sortDir = q.sort_dir;
  }
  return f;
}

/** `servers_links` with the next page's marker when the page is full (Nova's `_get_collection_links`). */
function pageLinks(deps: ComputeRouteDeps, req: FastifyRequest, path: string, ids: string[], limit: number | undefined): { servers_links?: unknown[] } {
  const max = limit ?? 1000;
  if (ids.length === 0 || ids.length < max) return {};
  const params = new URLSearchParams(queryOf(req));
  params.set('marker', ids[ids.length - 1]!);
  return { servers_links: [{ rel: 'next', href: `${deps.publicUrl()}/v2.1/${path}?${params.toString()}` }] };
}

/** /servers: create, list, detail, show, update, delete. */
export function registerServersRoutes(app: FastifyInstance, deps: ComputeRouteDeps): void {
  const { cloud } = deps;
  const base = () => ({ compute: deps.publicUrl(), defaultZone: cloud.options.defaultAvailabilityZone });

  app.post('/v2.1/servers', { schema: body(createServerSchema) }, async (req, reply) => {
    const ctx = deps.requestContext(req);
    const b = req.body as CreateBody;
    const { servers, reservationId } = await cloud.computeApi.createServers(ctx, createInput(b));
    const wantsReservation = ['true', 'True', '1', true].includes(b.server.return_reservation_id as never);
    reply.code(202);
    if (wantsReservation) return { reservation_id: reservationId };
    const first = servers[0]!.instance.uuid;
    reply.header('location', `${deps.publicUrl()}/v2.1/servers/${first}`);
    return { server: { id: first, links: serverLinks(base(), first), 'OS-DCF:diskConfig': 'MANUAL', security_groups: [{ name: 'default' }] } };
  });

  app.get('/v2.1/servers', async (req) => {
    const filter = listFilter(req);
    const views = await cloud.computeApi.listServers(deps.requestContext(req), filter);
    const ids = views.map((v) => v.instance.uuid);
    return { servers: views.map((v) => serverSummaryJson(v, base())), ...pageLinks(deps, req, 'servers', ids, filter.limit) };
  });

  app.get('/v2.1/servers/detail', async (req) => {
    const ctx = deps.requestContext(req);
    const filter = listFilter(req);
    const views = await cloud.computeApi.listServers(ctx, filter);
    const ids = views.map((v) => v.instance.uuid);
    return { servers: views.map((v) => serverDetailJson(v, ctx, base())), ...pageLinks(deps, req, 'servers/detail', ids, filter.limit) };
  });

  app.get<{ Params: { id: string } }>('/v2.1/servers/:id', async (req) => {
    const ctx = deps.requestContext(req);
    return { server: serverDetailJson(await cloud.computeApi.getServer(ctx, req.params.id), ctx, base()) };
  });

  app.put<{ Params: { id: string } }>('/v2.1/servers/:id', { schema: body(updateServerSchema) }, async (req) => {
    const ctx = deps.requestContext(req);
    const s = (req.body as { server: { name?: string; accessIPv4?: string | null } }).server;
    const patch: { name?: string; accessIpV4?: string | null } = {};
    if (s.name !== undefined) patch.name = s.name;
    if (s.accessIPv4 !== undefined) patch.accessIpV4 = s.accessIPv4 || null;
    return { server: serverDetailJson(await cloud.computeApi.updateServer(ctx, req.params.id, patch), ctx, base()) };
  });

  app.delete<{ Params: { id: string } }>('/v2.1/servers/:id', async (req, reply) => {
    await cloud.computeApi.deleteServer(deps.requestContext(req), req.params.id);
    return reply.code(204).send();
  });
}
