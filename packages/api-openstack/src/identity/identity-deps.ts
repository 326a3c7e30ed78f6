import type { FastifyRequest } from 'fastify';
import type { Cloud, PolicyEngine, RequestContext } from '@nubo/core';
import type { ApiEndpoints } from '../endpoints.js';

/** What the identity route modules share. */
export interface IdentityRouteDeps {
  cloud: Cloud;
  policy: PolicyEngine;
  requestContext(req: FastifyRequest): RequestContext;
  endpoints(): ApiEndpoints;
  region(): string;
}
