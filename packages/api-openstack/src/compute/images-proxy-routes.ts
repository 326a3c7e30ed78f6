import type { FastifyInstance, FastifyRequest } from 'fastify';
import { NotFound, type Image, type ImageListFilter } from '@nubo/core';
import { queryInt, queryOf } from '../http/query-params.js';
import { novaTime } from './nova-time.js';
import type { ComputeRouteDeps } from './route-deps.js';

/** Nova's image status names (nova/api/openstack/compute/views/images.py). */
const STATUS: Record<string, string> = {
  active: 'ACTIVE', queued: 'SAVING', saving: 'SAVING', uploading: 'SAVING', importing: 'SAVING',
  killed: 'ERROR', deleted: 'DELETED', deactivated: 'ERROR',
};
const PROGRESS: Record<string, number> = { ACTIVE: 100, SAVING: 25, DELETED: 100, ERROR: 0 };

function links(base: string, id: string) {
  return [
    { rel: 'self', href: `${base}/v2.1/images/${id}` },
    { rel: 'bookmark', href: `${base}/images/${id}` },
  ];
}

function detail(base: string, i: Image) {
  const status = STATUS[i.status] ?? 'UNKNOWN';
  const { instance_uuid: server, ...metadata } = i.properties;
  return {
    id: i.id, name: i.name, status, progress: PROGRESS[status] ?? 0, minDisk: i.minDiskGb, minRam: i.minRamMb,
    metadata: server ? { ...metadata, instance_uuid: server } : metadata,
    created: novaTime(i.createdAt), updated: novaTime(i.updatedAt), 'OS-EXT-IMG-SIZE:size': i.sizeBytes,
    links: links(base, i.id),
    ...(server ? { server: { id: server, links: [{ rel: 'self', href: `${base}/v2.1/servers/${server}` }, { rel: 'bookmark', href: `${base}/servers/${server}` }] } } : {}),
  };
}

function filterOf(req: FastifyRequest): ImageListFilter {
  const q = queryOf(req);
  const f: ImageListFilter = {};
  if (q.name) f.name = q.name;
  if (q.status) {
    const wanted = Object.entries(STATUS).find(([, s]) => s === q.status!.toUpperCase());
    f.status = wanted ? wanted[0] : q.status.toLowerCase();
  }
  f.limit = queryInt(q, 'limit');
  if (q.marker) f.marker = q.marker;
  return f;
}

/**
 * The image proxy `/v2.1/images` (removed at 2.36): the image service seen through Nova, with
 * the `server` a snapshot was taken from (`metadata.instance_uuid`).
 */
export function registerImagesProxyRoutes(app: FastifyInstance, deps: ComputeRouteDeps): void {
  const images = deps.cloud.images;
  const gone = (req: FastifyRequest) => {
    if (deps.isMicroversionAtLeast(req, '2.36')) throw new NotFound('The resource could not be found.');
  };
  app.get('/v2.1/images', async (req) => {
    gone(req);
    const list = await images.list(deps.requestContext(req), filterOf(req));
    return { images: list.map((i) => ({ id: i.id, name: i.name, links: links(deps.publicUrl(), i.id) })) };
  });
  app.get('/v2.1/images/detail', async (req) => {
    gone(req);
    const list = await images.list(deps.requestContext(req), filterOf(req));
    return { images: list.map((i) => detail(deps.publicUrl(), i)) };
  });
  app.get<{ Params: { id: string } }>('/v2.1/images/:id', async (req) => {
    gone(req);
    return { image: detail(deps.publicUrl(), await images.get(deps.requestContext(req), req.params.id)) };
  });
  app.delete<{ Params: { id: string } }>('/v2.1/images/:id', async (req, reply) => {
    gone(req);
    await images.delete(deps.requestContext(req), req.params.id);
    return reply.code(204).send();
  });
}
