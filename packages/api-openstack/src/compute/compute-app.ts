import type { FastifyInstance } from 'fastify';
import type { Cloud, Logger } from '@nubo/core';
import { createApp, requestContext } from '../http/create-app.js';
import { ADMIN_ROUTE_MODULES } from './admin-routes.js';
import { COMPUTE_ROUTE_MODULES } from './compute-routes.js';
import { isMicroversionAtLeast, negotiateMicroversion } from './microversion.js';
import type { ComputeRouteDeps } from './route-deps.js';

export interface ComputeAppOptions {
  cloud: Cloud;
  logger: Logger;
  publicUrl: () => string;
  imageUrl: () => string;
  identityUrl: () => string;
}

/** The Compute API v2.1 (port 8774): Nova's paths, bodies, errors and microversions. */
export function createComputeApp(options: ComputeAppOptions): FastifyInstance {
  const app = createApp({ cloud: options.cloud, logger: options.logger, dialect: 'nova', bodyLimit: 112 * 1024, identityUrl: options.identityUrl });
  app.addHook('preValidation', async (req, reply) => {
    if (req.url.startsWith('/v2.1')) negotiateMicroversion(req, reply);
  });
  const deps: ComputeRouteDeps = {
    cloud: options.cloud,
    requestContext,
    isMicroversionAtLeast,
    publicUrl: options.publicUrl,
    imageUrl: options.imageUrl,
  };
  for (const register of [...COMPUTE_ROUTE_MODULES, ...ADMIN_ROUTE_MODULES]) register(app, deps);
  return app;
}
