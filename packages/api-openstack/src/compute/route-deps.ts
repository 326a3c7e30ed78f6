/**
 * What every compute route module gets, and how a module plugs in.
 *
 * A route module is one file per resource under `src/compute/`, exporting
 * `register<Name>Routes(app: FastifyInstance, deps: ComputeRouteDeps): void`, which adds its
 * routes with paths under `/v2.1` (e.g. `app.get('/v2.1/flavors/detail', …)`). It is listed in
 * `compute-routes.ts` (the modules of the admin/compute-extras part go in `admin-routes.ts`,
 * which their author appends to).
 *
 * By the time a handler runs, the shared hooks have already:
 * - checked `X-Auth-Token` (401 otherwise) — `deps.requestContext(req)` is the caller;
 *   a route that needs no token says `config: { public: true }`;
 * - negotiated the microversion (`req.microversion`, `deps.isMicroversionAtLeast(req, '2.x')`);
 *   today's range is `MIN_MICROVERSION`..`MAX_MICROVERSION` in `microversion.ts`;
 * - set `x-openstack-request-id` / `x-compute-request-id` (`req.requestId`; the same id is
 *   the `requestId` of the RequestContext, so core's logs and instance actions carry it).
 *
 * Handlers throw core's typed errors (`NotFound`, `BadRequest`, `Forbidden`, `Conflict`,
 * `QuotaExceeded`, …) and never build error bodies: the one error mapper
 * (`http/error-shape.ts`) renders Nova's `{"itemNotFound": {"code": 404, "message": …}}`.
 * Bodies are validated with JSON Schemas built from `http/json-schema.ts` (`schema: body(…)`);
 * a schema failure is a 400 `badRequest`. Query strings are strings: parse them in the handler.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Cloud, RequestContext } from '@nubo/core';

export interface ComputeRouteDeps {
  cloud: Cloud;
  /** The authenticated caller (throws `Unauthorized` on a public route). */
  requestContext(req: FastifyRequest): RequestContext;
  /** True when the negotiated microversion is at least `version`, e.g. `'2.47'`. */
  isMicroversionAtLeast(req: FastifyRequest, version: string): boolean;
  /** The compute API's base URL as clients reach it (`http://127.0.0.1:8774`), for `links`. */
  publicUrl(): string;
  /** Base URL of the image API (for image links in server views). */
  imageUrl(): string;
}

export type ComputeRouteModule = (app: FastifyInstance, deps: ComputeRouteDeps) => void;
