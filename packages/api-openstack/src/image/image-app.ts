import type { FastifyInstance } from 'fastify';
import type { Cloud, Logger } from '@nubo/core';
import { createApp } from '../http/create-app.js';
import { registerImagesRoutes } from './images-routes.js';
import { registerMembersRoutes } from './members-routes.js';

export interface ImageAppOptions {
  cloud: Cloud;
  logger: Logger;
  publicUrl: () => string;
  identityUrl: () => string;
}

const PUBLIC = { config: { public: true } };

/** Image v2 (port 9292): Glance's images, data and members. */
export function createImageApp(options: ImageAppOptions): FastifyInstance {
  const app = createApp({ cloud: options.cloud, logger: options.logger, dialect: 'glance', identityUrl: options.identityUrl });
  // Image data streams straight through to the image store, never buffered whole.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
  app.addContentTypeParser('application/openstack-images-v2.1-json-patch', { parseAs: 'string' }, (_req, text, done) => {
    try {
      done(null, JSON.parse(text as string));
    } catch {
      done(Object.assign(new Error('Malformed JSON in request body.'), { statusCode: 400 }), undefined);
    }
  });
  const versions = () => ({
    versions: ['2.0'].map((v, i) => ({
      id: `v${v}`, status: i === 0 ? 'CURRENT' : 'SUPPORTED', links: [{ rel: 'self', href: `${options.publicUrl()}/v2/` }],
    })),
  });
  app.get('/', PUBLIC, async (_req, reply) => reply.code(300).send(versions()));
  app.get('/versions', PUBLIC, async () => versions());
  app.get('/v2', PUBLIC, async () => versions());
  registerImagesRoutes(app, options.cloud, options.logger);
  registerMembersRoutes(app, options.cloud);
  return app;
}
