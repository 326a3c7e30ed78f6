import type { RequestContext } from '../model/request-context.js';
import { BadRequest, NuboError, serializeError, type SerializedError } from '../errors.js';

/** What travels to a server: the method, its arguments and the caller's context. */
export interface RpcRequest {
  method: string;
  args: unknown;
  ctx: RequestContext | null;
}

/** What travels back for a `call`: the handler's result or its error. */
export type RpcReply = { ok: true; result?: unknown } | { ok: false; error: SerializedError };

/**
 * Encodes a request as the wire carries it. Arguments a wire cannot carry (BigInt, cycles)
 * are the caller's mistake: `BadRequest`, before anything is sent.
 */
export function encodeRpcRequest(request: RpcRequest): string {
  try {
    return JSON.stringify(request);
  } catch (err) {
    throw new BadRequest(`Arguments of RPC method ${request.method} are not JSON-serialisable: ${(err as Error).message}`);
  }
}

export function decodeRpcRequest(body: string): RpcRequest {
  const parsed = JSON.parse(body) as Partial<RpcRequest> | null;
  if (!parsed || typeof parsed.method !== 'string') throw new BadRequest('Malformed RPC message: no method.');
  return { method: parsed.method, args: parsed.args, ctx: parsed.ctx ?? null };
}

/** Encodes a reply; a result the wire cannot carry becomes an error reply rather than silence. */
export function encodeRpcReply(reply: RpcReply, method: string): string {
  try {
    return JSON.stringify(reply);
  } catch (err) {
    const error = new NuboError(`Result of RPC method ${method} is not JSON-serialisable: ${(err as Error).message}`);
    return JSON.stringify({ ok: false, error: serializeError(error) } satisfies RpcReply);
  }
}

export function decodeRpcReply(body: string): RpcReply {
  return JSON.parse(body) as RpcReply;
}
