import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BadRequest, type Cloud, type ImageCreateInput, type ImageListFilter, type ImageVisibility, type Logger } from '@nubo/core';
import { requestContext } from '../http/create-app.js';
import { body } from '../http/json-schema.js';
import { queryInt, queryOf } from '../http/query-params.js';
import { imageJson } from './glance-json.js';
import { applyImagePatch, type PatchOp } from './image-patch.js';
import { createImageSchema, patchImageSchema } from './image-schemas.js';

type P = { Params: { id: string } };
const CORE = new Set(['id', 'name', 'visibility', 'disk_format', 'container_format', 'min_disk', 'min_ram', 'protected', 'os_hidden', 'tags']);

function createInput(b: Record<string, unknown>): ImageCreateInput {
  const properties: Record<string, string> = {};
  for (const [k, v] of Object.entries(b)) if (!CORE.has(k)) properties[k] = v as string;
  const input: ImageCreateInput = { properties };
  if (b.id !== undefined) input.id = b.id as string;
  if (b.name !== undefined) input.name = b.name as string | null;
  if (b.visibility !== undefined) input.visibility = b.visibility as ImageVisibility;
  if (b.disk_format !== undefined) input.diskFormat = b.disk_format as string | null;
  if (b.container_format !== undefined) input.containerFormat = b.container_format as string | null;
  if (b.min_disk !== undefined) input.minDiskGb = b.min_disk as number;
  if (b.min_ram !== undefined) input.minRamMb = b.min_ram as number;
  if (b.protected !== undefined) input.protected = b.protected as boolean;
  if (b.tags !== undefined) input.tags = b.tags as string[];
  return input;
}

function listFilter(req: FastifyRequest): ImageListFilter {
  const q = queryOf(req);
  const f: ImageListFilter = {};
  if (q.name !== undefined) f.name = q.name;
  if (q.status !== undefined) f.status = q.status;
  if (q.visibility !== undefined) {
    if (q.visibility !== 'all') f.visibility = q.visibility as ImageVisibility;
  }
  if (q.owner !== undefined) f.owner = q.owner;
  f.limit = queryInt(q, 'limit');
  if (q.marker !== undefined) f.marker = q.marker;
  return f;
}

/** Logs an upload's progress about every tenth of its announced size (or every 16 MiB). */
function progressLogger(log: Logger, req: FastifyRequest, id: string): (bytes: number) => void {
  const announced = Number(req.headers['content-length']) || 0;
  const step = announced > 0 ? Math.max(1, Math.ceil(announced / 10)) : 16 * 1024 * 1024;
  let next = step;
  return (bytes) => {
    if (bytes < next && bytes !== announced) return;
    next = (Math.floor(bytes / step) + 1) * step;
    log.info('image upload progress', { requestId: req.requestId, image: id, bytes, ...(announced ? { percent: Math.min(100, Math.round((bytes / announced) * 100)) } : {}) });
  };
}

/** /v2/images: list, create, show, update (JSON patch), delete, upload and download data. */
export function registerImagesRoutes(app: FastifyInstance, cloud: Cloud, logger: Logger): void {
  const images = cloud.images;

  app.get('/v2/images', async (req) => {
    const filter = listFilter(req);
    const list = await images.list(requestContext(req), filter);
    const out: Record<string, unknown> = { images: list.map(imageJson), first: '/v2/images', schema: '/v2/schemas/images' };
    if (filter.limit !== undefined && list.length === filter.limit && list.length > 0) {
      const params = new URLSearchParams(queryOf(req));
      params.set('marker', list[list.length - 1]!.id);
      out.next = `/v2/images?${params.toString()}`;
    }
    return out;
  });

  app.post('/v2/images', { schema: body(createImageSchema) }, async (req, reply) => {
    const image = await images.create(requestContext(req), createInput(req.body as Record<string, unknown>));
    reply.code(201).header('location', `/v2/images/${image.id}`);
    return imageJson(image);
  });

  app.get<P>('/v2/images/:id', async (req) => imageJson(await images.get(requestContext(req), req.params.id)));

  app.patch<P>('/v2/images/:id', { schema: body(patchImageSchema) }, async (req) => {
    const ctx = requestContext(req);
    const current = await images.get(ctx, req.params.id);
    const ops = req.body as PatchOp[];
    if (ops.length === 0) return imageJson(current);
    return imageJson(await images.update(ctx, req.params.id, applyImagePatch(current, ops)));
  });

  app.delete<P>('/v2/images/:id', async (req, reply) => {
    await images.delete(requestContext(req), req.params.id);
    return reply.code(204).send();
  });

  app.put<P>('/v2/images/:id/file', async (req, reply) => {
    const ctx = requestContext(req);
    const stream = req.body as AsyncIterable<Uint8Array> | undefined;
    if (!stream || typeof (stream as AsyncIterable<Uint8Array>)[Symbol.asyncIterator] !== 'function') {
      throw new BadRequest('Image data must be sent as application/octet-stream.');
    }
    const image = await images.upload(ctx, req.params.id, stream, progressLogger(logger, req, req.params.id));
    logger.info('image uploaded', { requestId: req.requestId, image: image.id, bytes: image.sizeBytes, checksum: image.checksum });
    return reply.code(204).send();
  });

  app.get<P>('/v2/images/:id/file', async (req, reply) => {
    const ctx = requestContext(req);
    const image = await images.get(ctx, req.params.id);
    if (image.status === 'queued') return reply.code(204).send();
    const data = await images.download(ctx, req.params.id);
    reply.type('application/octet-stream');
    if (image.checksum) reply.header('content-md5', image.checksum);
    if (image.sizeBytes !== null) reply.header('content-length', String(image.sizeBytes));
    return reply.send(Readable.from(data));
  });
}
