/**
 * Typed errors of Nubo. Each carries the HTTP status Nova would answer with; the API package
 * maps them to Nova's JSON shape in exactly one place. `name` survives RPC (see
 * `serializeError`/`deserializeError`) so a remote failure arrives as the same class.
 */
export class NuboError extends Error {
  readonly status: number = 500;
  constructor(message: string, readonly details?: Record<string, unknown>) {
    super(message);
    this.name = new.target.name;
  }
}

export class BadRequest extends NuboError {
  override readonly status = 400;
}
export class Unauthorized extends NuboError {
  override readonly status = 401;
}
export class Forbidden extends NuboError {
  override readonly status = 403;
}
export class NotFound extends NuboError {
  override readonly status = 404;
}
export class Conflict extends NuboError {
  override readonly status = 409;
}
/** A state conflict: the action is not allowed in the instance's current vm/task state. */
export class InstanceInvalidState extends Conflict {}
/** Over quota. Nova answers 403 for most creates and 413 for some; `status` carries which. */
export class QuotaExceeded extends NuboError {
  override readonly status: number;
  constructor(message: string, status: 403 | 413 = 403, details?: Record<string, unknown>) {
    super(message, details);
    this.status = status;
  }
}
export class NotImplementedByDriver extends NuboError {
  override readonly status = 501;
}
/** No valid host could be found for a request. */
export class NoValidHost extends NuboError {
  override readonly status = 500;
}
/** The hypervisor driver failed; `retryable` tells the conductor whether to reschedule. */
export class DriverError extends NuboError {
  override readonly status = 500;
  constructor(message: string, readonly retryable = true, details?: Record<string, unknown>) {
    super(message, details);
  }
}
export class RpcTimeout extends NuboError {
  override readonly status = 504;
}
export class ServiceUnavailable extends NuboError {
  override readonly status = 503;
}

const ERROR_CLASSES: Record<string, new (message: string, ...rest: never[]) => NuboError> = {
  NuboError, BadRequest, Unauthorized, Forbidden, NotFound, Conflict, InstanceInvalidState,
  QuotaExceeded, NotImplementedByDriver, NoValidHost, DriverError, RpcTimeout, ServiceUnavailable,
};

/** The wire form of an error, as a transport carries a remote failure back to the caller. */
export interface SerializedError {
  name: string;
  message: string;
  status?: number;
  details?: Record<string, unknown>;
  retryable?: boolean;
}

export function serializeError(err: unknown): SerializedError {
  if (err instanceof NuboError) {
    const out: SerializedError = { name: err.name, message: err.message, status: err.status };
    if (err.details) out.details = err.details;
    if (err instanceof DriverError) out.retryable = err.retryable;
    return out;
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return { name: 'NuboError', message: e.message };
}

export function deserializeError(s: SerializedError): NuboError {
  if (s.name === 'QuotaExceeded') return new QuotaExceeded(s.message, (s.status ?? 403) as 403 | 413, s.details);
  if (s.name === 'DriverError') return new DriverError(s.message, s.retryable ?? true, s.details);
  const Cls = ERROR_CLASSES[s.name] ?? NuboError;
  return new (Cls as new (m: string, d?: Record<string, unknown>) => NuboError)(s.message, s.details);
}
