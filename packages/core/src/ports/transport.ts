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
 * Contract, checked by the shared transport behaviour suite (`describeTransportBehaviour` in
 * `@nubo/core/testing`), which every implementation runs:
 * - `serve({topic, server})` consumes from the shared topic queue (any one server of the
 *   topic gets each message, spread round-robin), from the host queue `topic.server`, and from
 *   the topic's fanout (every server gets each fanout message). It resolves once consuming.
 * - `call` delivers to one server and resolves with its handler's result; a handler that
 *   throws a `NuboError` rejects the call with the same class, message, status and details;
 *   any other throw arrives as a plain `NuboError` with its message; a method the endpoint
 *   does not expose (unknown, `_private`, or Object's) rejects with `NotFound`; no reply within
 *   `timeoutMs` rejects with `RpcTimeout`, and the request then dies unread in its queue.
 *   A call cannot target a fanout (`BadRequest`).
 * - `cast` delivers to one server and does not wait for the handler; a fanout cast reaches
 *   every server subscribed at that moment (none: dropped). A cast to a topic or host queue
 *   nobody serves yet is held until a server comes. A failing cast handler is logged, and the
 *   server carries on.
 * - Messages and results are JSON: Dates travel as ISO strings, `undefined` properties vanish,
 *   class instances arrive as plain objects. Arguments that are not JSON (BigInt, cycles) are
 *   refused with `BadRequest` before anything is sent.
 * - A message whose handler has not finished is not lost when its server stops (`stop()`
 *   waits for in-flight handlers; a broker-backed transport redelivers unacked messages, so a
 *   handler may, rarely, see a message twice on different hosts: keep handlers idempotent).
 * - After `close()` (idempotent: stops this transport's servers, fails its pending calls),
 *   `serve`, `call` and `cast` reject with `ServiceUnavailable`.
 */
export interface Transport {
  serve(target: { topic: string; server?: string }, endpoint: RpcEndpoint): Promise<RpcServerHandle>;
  call<T = unknown>(target: RpcTarget, method: string, args: unknown, options?: CallOptions): Promise<T>;
  cast(target: RpcTarget, method: string, args: unknown, options?: CastOptions): Promise<void>;
  close(): Promise<void>;
}
