import type { Logger } from '@nubo/core';

/** How an `AmqpTransport` reaches RabbitMQ and lays out its queues. */
export interface AmqpTransportOptions {
  /** `amqp://user:pass@host:port/vhost`. Default `amqp://guest:guest@127.0.0.1:5672`. */
  url?: string;
  /** The cloud's topic exchange (Nova's `control_exchange`). Default `nubo`. */
  exchange?: string;
  /**
   * Where replies to `call` come back: an exclusive `reply_<uuid>` queue per transport
   * (`queue`, as oslo.messaging does, visible in `rabbitmqctl list_queues`), or RabbitMQ's
   * direct reply-to pseudo-queue (`direct`, nothing declared). Default `queue`: on the rpc
   * bench (bench/rpc-amqp.bench.ts) it was as fast or a little faster, run after run.
   */
  replyTo?: 'direct' | 'queue';
  /** Unacknowledged messages a server holds at once per queue: its handler concurrency (Nova runs 64 handler threads per service). Default 64. */
  prefetch?: number;
  /** Reply timeout of a `call` that names none. Default 60 000 ms. */
  defaultTimeoutMs?: number;
  /** How long a `cast` may wait for the broker (reconnecting) before `ServiceUnavailable`. Default 60 000 ms. */
  publishTimeoutMs?: number;
  /** Reconnect backoff: first delay, doubling up to the cap, with jitter. Default 100 ms → 5 000 ms. */
  reconnectInitialDelayMs?: number;
  reconnectMaxDelayMs?: number;
  /** AMQP heartbeat in seconds, so a silent broker is noticed. Default 10. */
  heartbeatSeconds?: number;
  /** Shown by `rabbitmqctl list_connections client_properties`. Default `nubo`. */
  connectionName?: string;
  /** Cast message ids remembered as handled (at least this many), so a redelivered cast is not run twice here. Default 10 000. */
  dedupCapacity?: number;
  /** Where failed casts, lost connections and reconnects are reported. Default: JSON lines on stderr (warn and up). */
  logger?: Logger;
}

export type ResolvedAmqpOptions = Required<Omit<AmqpTransportOptions, 'logger'>> & { logger: Logger };
