import type { RequestContext } from '../model/request-context.js';

/**
 * Where a message goes, as oslo.messaging's Target: any one server of `topic`, or exactly
 * the server `server` (its host queue `topic.server`), or every server of `topic` (`fanout`).
 */
export interface RpcTarget {
  topic: string;
  server?: string;
  fanout?: boolean;
}

/** The handlers a server exposes: method name → async handler. */
export type RpcEndpoint = Record<string, (ctx: RequestContext | null, args: any) => Promise<unknown>>;

export interface CallOptions {
  /** Milliseconds to wait for the reply; then `RpcTimeout` is thrown. Default 60 000. */
  timeoutMs?: number;
  context?: RequestContext | null;
}

export interface CastOptions {
  context?: RequestContext | null;
}

export interface RpcServerHandle {
  /** Stops taking new messages, waits for the in-flight handlers, then resolves. */
  stop(): Promise<void>;
}

/**
 * The message bus between services, with AMQP's semantics.
 *
 * Contract, checked by the shared transport behaviour suite (`@nubo/core/testing`):
 * - `serve({topic, server})` consumes from the shared topic queue (any one server of the
 *   topic gets each message), from the host queue `topic.server`, and from the topic's
 *   fanout (every server gets each fanout message).
 * - `call` delivers to one server and resolves with its handler's result; a handler that
 *   throws a `NuboError` rejects the call with the same class and message; an unknown method
 *   rejects with `NotFound`; no reply within `timeoutMs` rejects with `RpcTimeout`.
 * - `cast` delivers to one server and does not wait; a fanout cast reaches every server.
 * - Messages and results are JSON: Dates travel as ISO strings.
 * - A message whose handler has not finished is not lost when its server stops (`stop()`
 *   waits for in-flight handlers; a broker-backed transport redelivers unacked messages).
 */
export interface Transport {
  serve(target: { topic: string; server?: string }, endpoint: RpcEndpoint): Promise<RpcServerHandle>;
  call<T = unknown>(target: RpcTarget, method: string, args: unknown, options?: CallOptions): Promise<T>;
  cast(target: RpcTarget, method: string, args: unknown, options?: CastOptions): Promise<void>;
  close(): Promise<void>;
}
