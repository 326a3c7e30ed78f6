import type { RpcEndpoint } from '../ports/transport.js';
import { NotFound, serializeError } from '../errors.js';
import type { RpcReply, RpcRequest } from './rpc-envelope.js';

/** The outcome of running one request: the reply to send, and the raw error for logging. */
export interface RpcOutcome {
  reply: RpcReply;
  error?: unknown;
}

/**
 * Runs a request against an endpoint, as oslo.messaging's dispatcher: only public methods
 * (own or inherited, not Object's, not `_private`) are callable; anything else is `NotFound`.
 * Never throws: a failure becomes an error reply.
 */
export async function dispatchRpc(endpoint: RpcEndpoint, request: RpcRequest): Promise<RpcOutcome> {
  const handler = exposedMethod(endpoint, request.method);
  if (!handler) {
    const error = new NotFound(`Endpoint does not support RPC method ${request.method}`);
    return { reply: { ok: false, error: serializeError(error) }, error };
  }
  try {
    const result = await handler.call(endpoint, request.ctx, request.args);
    return { reply: { ok: true, result } };
  } catch (error) {
    return { reply: { ok: false, error: serializeError(error) }, error };
  }
}

function exposedMethod(endpoint: RpcEndpoint, method: string): RpcEndpoint[string] | undefined {
  if (!method || method.startsWith('_') || method === 'constructor' || method in Object.prototype) return undefined;
  const candidate = (endpoint as Record<string, unknown>)[method];
  return typeof candidate === 'function' ? (candidate as RpcEndpoint[string]) : undefined;
}
