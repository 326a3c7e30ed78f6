import type { FastifyInstance } from 'fastify';
import { TOKENS, type Cloud, type Logger, type PolicyEngine } from '@nubo/core';
import type { ApiEndpoints } from '../endpoints.js';
import { createApp, requestContext } from '../http/create-app.js';
import type { IdentityRouteDeps } from './identity-deps.js';
import { registerProjectsRoutes } from './projects-routes.js';
import { registerRolesRoutes } from './roles-routes.js';
import { registerTokenRoutes } from './token-routes.js';
import { registerUsersRoutes } from './users-routes.js';
import { registerIdentityVersionsRoutes } from './versions-routes.js';

export interface IdentityAppOptions {
  cloud: Cloud;
  logger: Logger;
  endpoints: () => ApiEndpoints;
}

/** Identity v3 (port 5000): tokens with the service catalog, projects, users, roles, grants. */
export function createIdentityApp(options: IdentityAppOptions): FastifyInstance {
  const { cloud } = options;
  const app = createApp({ cloud, logger: options.logger, dialect: 'keystone', identityUrl: () => options.endpoints().identity });
  const deps: IdentityRouteDeps = {
    cloud,
    policy: cloud.container.get<PolicyEngine>(TOKENS.PolicyEngine),
    requestContext,
    endpoints: options.endpoints,
    region: () => cloud.bootstrapResult?.region ?? 'RegionOne',
  };
  for (const register of [registerIdentityVersionsRoutes, registerTokenRoutes, registerProjectsRoutes, registerUsersRoutes, registerRolesRoutes]) register(app, deps);
  return app;
}
