import { NuboError, QuotaExceeded } from '@nubo/core';

/** Which service's error body to answer with. */
export type ErrorDialect = 'nova' | 'keystone' | 'glance';

/** Nova's fault names by status (nova/api/openstack/wsgi.py `Fault._fault_names`). */
const NOVA_FAULT_NAMES: Record<number, string> = {
  400: 'badRequest', 401: 'unauthorized', 403: 'forbidden', 404: 'itemNotFound', 405: 'badMethod',
  409: 'conflictingRequest', 413: 'overLimit', 415: 'badMediaType', 429: 'overLimit',
  501: 'notImplemented', 503: 'serviceUnavailable',
};

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 409: 'Conflict', 413: 'Request Entity Too Large', 415: 'Unsupported Media Type',
  500: 'Internal Server Error', 501: 'Not Implemented', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};

export interface HttpFailure {
  status: number;
  message: string;
}

/** Fastify's own 4xx (bad JSON, body too large, wrong media type, schema failures) become a clean 4xx. */
interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  validation?: unknown;
  message?: string;
}

/**
 * The one place where errors become HTTP: core's typed errors keep their status, fastify's
 * client errors keep theirs, anything else is a 500 whose message does not leak internals.
 */
export function toHttpFailure(err: unknown): HttpFailure {
  if (err instanceof QuotaExceeded) return { status: err.status, message: err.message };
  if (err instanceof NuboError) {
    // NoValidHost, DriverError, … are the cloud's failures, not the caller's.
    return { status: err.status, message: err.status >= 500 ? `${err.name}: ${err.message}` : err.message };
  }
  const f = (err ?? {}) as FastifyLikeError;
  if (typeof f.statusCode === 'number' && f.statusCode >= 400 && f.statusCode < 500) {
    const message = f.validation ? `Invalid input for field/attribute. ${f.message ?? ''}`.trim() : (f.message ?? TITLES[f.statusCode] ?? 'Bad request');
    return { status: f.statusCode, message };
  }
  return { status: 500, message: 'The server has either erred or is incapable of performing the requested operation.' };
}

/** The JSON body of an error in the dialect of the service answering. */
export function errorBody(dialect: ErrorDialect, failure: HttpFailure): Record<string, unknown> {
  const { status, message } = failure;
  if (dialect === 'keystone') return { error: { code: status, title: TITLES[status] ?? 'Error', message } };
  if (dialect === 'glance') return { code: status, title: TITLES[status] ?? 'Error', message: `${status} ${TITLES[status] ?? ''}: ${message}`.replace(/ {2}/, ' ') };
  return { [NOVA_FAULT_NAMES[status] ?? 'computeFault']: { code: status, message } };
}
