import type { RequestContext } from '@nubo/core';

/** What the shared hooks attach to every request (see `create-app.ts`). */
declare module 'fastify' {
  interface FastifyRequest {
    /** `req-<uuid>`, echoed in `x-openstack-request-id` (and `x-compute-request-id` on compute). */
    requestId: string;
    /** The caller, set by the auth hook on routes that need a token; null before it runs. */
    nuboContext: RequestContext | null;
    /** The negotiated compute microversion as [major, minor]; [2, 1] outside compute. */
    microversion: [number, number];
  }
}

export {};
