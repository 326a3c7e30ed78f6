import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { Unauthorized, type Cloud, type Logger, type RequestContext } from '@nubo/core';
import './request-state.js';
import { errorBody, toHttpFailure, type ErrorDialect } from './error-shape.js';
import { newRequestId } from './request-id.js';

/** Route option `config: { public: true }` skips the token check (version documents, token issue). */
export interface NuboRouteConfig {
  public?: boolean;
}

export interface CreateAppOptions {
  cloud: Cloud;
  logger: Logger;
  /** Which service answers: decides the error body's shape and the request id headers. */
  dialect: ErrorDialect;
  /** Largest JSON body accepted, in bytes (Nova's `max_request_body_size` is 112 KiB). */
  bodyLimit?: number;
  /** Where clients get tokens, for the `WWW-Authenticate` header of a 401. */
  identityUrl?: () => string;
}

/** A route an app serves (for tests and docs that walk every route). */
export interface RouteEntry {
  method: string;
  url: string;
  public: boolean;
  /** Whether the route validates a request body (routes without one ignore any body). */
  hasBody: boolean;
}

const ROUTES = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Every route of an app built by `createApp`, in registration order. */
export function routesOf(app: FastifyInstance): readonly RouteEntry[] {
  return ROUTES.get(app) ?? [];
}

/**
 * A fastify instance with what every Nubo API shares: request ids, the token check, one error
 * mapper, JSON request logs, and validation that never coerces or drops fields silently.
 */
export function createApp(options: CreateAppOptions): FastifyInstance {
  const { cloud, logger, dialect } = options;
  const app = Fastify({
    logger: false,
    exposeHeadRoutes: false,
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    // Clients send `Accept-Encoding` etc.; nothing here needs a trailing-slash distinction.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1024 },
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } },
    genReqId: () => newRequestId(),
  });

  const routes: RouteEntry[] = [];
  ROUTES.set(app, routes);
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url, public: !!(r.config as NuboRouteConfig | undefined)?.public, hasBody: !!(r.schema as { body?: unknown } | undefined)?.body });
  });

  app.decorateRequest('requestId', '');
  app.decorateRequest('nuboContext', null);
  app.decorateRequest('microversion', null as unknown as [number, number]);

  app.addHook('onRequest', async (req, reply) => {
    req.requestId = req.id;
    req.microversion = [2, 1];
    reply.header('x-openstack-request-id', req.requestId);
    if (dialect === 'nova') reply.header('x-compute-request-id', req.requestId);
    if ((req.routeOptions.config as NuboRouteConfig | undefined)?.public) return;
    if (!req.routeOptions.url) return; // unknown route: answered 404 by the not-found handler
    const token = req.headers['x-auth-token'];
    if (typeof token !== 'string' || token.length === 0) throw new Unauthorized('The request you have made requires authentication.');
    req.nuboContext = await cloud.authenticate(token, req.requestId);
  });

  app.addHook('onResponse', async (req, reply) => {
    const fields = {
      requestId: req.requestId, service: dialect, method: req.method, url: req.url.slice(0, 512),
      status: reply.statusCode, ms: Math.round(reply.elapsedTime * 10) / 10,
    };
    if (reply.statusCode >= 500) logger.error('http request', fields);
    else logger.info('http request', fields);
  });

  app.setErrorHandler(async (err, req, reply) => {
    const failure = toHttpFailure(err);
    if (failure.status >= 500) logger.error('request failed', { requestId: req.requestId, error: String((err as Error)?.stack ?? err) });
    // Tells a client where to get a token, as keystonemiddleware does.
    if (failure.status === 401 && options.identityUrl) reply.header('www-authenticate', `Keystone uri="${options.identityUrl()}"`);
    return sendError(reply, dialect, failure.status, failure.message);
  });

  app.setNotFoundHandler(async (req, reply) => sendError(reply, dialect, 404, `The resource could not be found.`));
  return app;
}

export function sendError(reply: FastifyReply, dialect: ErrorDialect, status: number, message: string): FastifyReply {
  return reply.code(status).type('application/json').send(errorBody(dialect, { status, message }));
}

/** The caller of a request that passed the token check. */
export function requestContext(req: FastifyRequest): RequestContext {
  if (!req.nuboContext) throw new Unauthorized('The request you have made requires authentication.');
  return req.nuboContext;
}
