import type { ConsumeMessage } from 'amqplib';
import {
  encodeRpcRequest, JsonLogger, queueNameFor, RpcTimeout, ServiceUnavailable, validateTarget,
  type CallOptions, type CastOptions, type RpcEndpoint, type RpcServerHandle, type RpcTarget, type Transport,
} from '@nubo/core';
import type { AmqpTransportOptions, ResolvedAmqpOptions } from './amqp-transport-options.js';
import { AmqpConnector } from './amqp-connector.js';
import type { AmqpSession } from './amqp-session.js';
import { AmqpNames } from './amqp-topology.js';
import { AmqpRpcServer } from './amqp-rpc-server.js';
import { HandledMessages } from './handled-messages.js';
import { PendingCalls } from './pending-calls.js';

/**
 * The `Transport` over RabbitMQ (amqplib), in Nova's layout (see `amqp-topology.ts`).
 *
 * Connects lazily on first use and keeps reconnecting with backoff after a loss, declaring
 * every exchange, queue and consumer again. Meanwhile `call` and `cast` wait for the broker
 * (a call within its timeout, a cast within `publishTimeoutMs`). A cast resolves once the
 * broker has confirmed it (persistent, to a durable queue); one whose confirm was lost with
 * the connection is published again after the reconnect, and a server in this process
 * recognises the duplicate by message id. Calls in flight when a connection is lost fail with
 * `RpcTimeout` at once: their replies had no way back.
 */
export class AmqpTransport implements Transport {
  private readonly options: ResolvedAmqpOptions;
  private readonly connector: AmqpConnector;
  private readonly pending = new PendingCalls();
  private readonly servers = new Set<AmqpRpcServer>();
  private readonly handled: HandledMessages;
  /** Correlation ids are this transport's id and a counter: unique, short, and cheaper than a UUID per call. */
  private readonly callIdPrefix = `${crypto.randomUUID()}.`;
  private callSeq = 0;
  private closed = false;

  constructor(options: AmqpTransportOptions = {}) {
    this.options = resolve(options);
    this.handled = new HandledMessages(this.options.dedupCapacity);
    this.connector = new AmqpConnector({
      url: withHeartbeat(this.options.url, this.options.heartbeatSeconds),
      exchange: this.options.exchange,
      replyTo: this.options.replyTo,
      connectionName: this.options.connectionName,
      socketOptions: { noDelay: true, timeout: 10_000, clientProperties: { connection_name: this.options.connectionName } },
      initialDelayMs: this.options.reconnectInitialDelayMs,
      maxDelayMs: this.options.reconnectMaxDelayMs,
      logger: this.options.logger,
      onReply: (m: ConsumeMessage) => this.pending.settle(String(m.properties.correlationId), m.content),
      onSession: (session) => this.attachServers(session),
      onLost: (session) => this.pending.failSentOn(session, () =>
        new RpcTimeout('The connection to the message broker was lost before the reply came; the request may or may not have run.')),
    });
  }

  /** The topic exchange this cloud's messages go through. */
  get exchange(): string {
    return this.options.exchange;
  }

  async serve(target: { topic: string; server?: string }, endpoint: RpcEndpoint): Promise<RpcServerHandle> {
    this.assertOpen();
    validateTarget(target, 'serve');
    const server = new AmqpRpcServer({ topic: target.topic, server: target.server }, endpoint, {
      exchange: this.options.exchange,
      prefetch: this.options.prefetch,
      logger: this.options.logger,
      handled: this.handled,
      onStopped: (s) => this.servers.delete(s),
    });
    this.servers.add(server);
    try {
      // Retried across reconnects: a server that started before the broker did waits for it.
      for (;;) {
        const session = await this.connector.ready();
        try {
          await server.attach(session);
          return server;
        } catch (err) {
          if (session.isOpen) throw err;
        }
      }
    } catch (err) {
      this.servers.delete(server);
      throw err;
    }
  }

  call<T = unknown>(target: RpcTarget, method: string, args: unknown, options: CallOptions = {}): Promise<T> {
    let body: Buffer;
    try {
      this.assertOpen();
      validateTarget(target, 'call');
      body = Buffer.from(encodeRpcRequest({ method, args, ctx: options.context ?? null }));
    } catch (err) {
      return Promise.reject(err);
    }
    const timeoutMs = options.timeoutMs ?? this.options.defaultTimeoutMs;
    const correlationId = this.callIdPrefix + (++this.callSeq).toString(36);
    const routingKey = queueNameFor(target);
    const reply = this.pending.register<T>(correlationId, timeoutMs, `${method} on ${routingKey}`);
    this.sendCall(correlationId, routingKey, target, body, timeoutMs);
    return reply;
  }

  async cast(target: RpcTarget, method: string, args: unknown, options: CastOptions = {}): Promise<void> {
    this.assertOpen();
    validateTarget(target, 'cast');
    const body = Buffer.from(encodeRpcRequest({ method, args, ctx: options.context ?? null }));
    const exchange = target.fanout ? AmqpNames.fanoutExchange(target.topic) : this.options.exchange;
    const routingKey = target.fanout ? '' : queueNameFor(target);
    const publish = {
      messageId: crypto.randomUUID(),
      contentType: 'application/json',
      persistent: !target.fanout,
    };
    const deadline = Date.now() + this.options.publishTimeoutMs;
    for (;;) {
      const session = this.connector.current() ?? await this.connector.ready(deadline);
      try {
        const declaring = session.ensureRoute(target);
        if (declaring) await declaring;
        await session.publishConfirmed(exchange, routingKey, body, publish);
        this.options.logger.debug('sent RPC cast', {
          exchange, routingKey, method, messageId: publish.messageId, requestId: options.context?.requestId, fanout: !!target.fanout,
        });
        return;
      } catch (err) {
        // Lost with the connection: publish again on the next one. Refused by a live broker: give up.
        await new Promise((r) => setImmediate(r));
        if (this.closed) throw new ServiceUnavailable('The transport was closed before the broker confirmed the cast.');
        if (session.isOpen) throw new ServiceUnavailable(`The message broker refused the cast ${method}: ${(err as Error).message}`);
      }
    }
  }

  /** Stops every server (waiting for its handlers), fails pending calls, closes the connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.servers].map((s) => s.stop()));
    this.pending.failAll(() => new ServiceUnavailable('The transport was closed before the reply arrived.'));
    await this.connector.close();
  }

  private sendCall(correlationId: string, routingKey: string, target: RpcTarget, body: Buffer, timeoutMs: number): void {
    const deadline = Date.now() + timeoutMs;
    // Hot path: connected and the route declared, so the request leaves in this very tick.
    const session = this.connector.current();
    if (session && session.ensureRoute(target) === null) {
      try {
        this.publishCall(session, correlationId, routingKey, body, deadline);
        return;
      } catch {
        // fall through to the patient path
      }
    }
    void this.sendCallPatiently(correlationId, routingKey, target, body, deadline);
  }

  /** Waits for the broker and the declarations, and retries on the next connection if this one goes. */
  private async sendCallPatiently(correlationId: string, routingKey: string, target: RpcTarget, body: Buffer, deadline: number): Promise<void> {
    try {
      for (;;) {
        const session = await this.connector.ready(deadline);
        try {
          await session.ensureRoute(target);
          this.publishCall(session, correlationId, routingKey, body, deadline);
          return;
        } catch (err) {
          // Never reached the broker because the connection went: safe to send on the next one.
          await new Promise((r) => setImmediate(r));
          if (session.isOpen) throw new ServiceUnavailable(`The message broker refused the call: ${(err as Error).message}`);
        }
      }
    } catch (err) {
      // At the deadline the pending call's own timer answers RpcTimeout; anything else is reported now.
      if (Date.now() < deadline) this.pending.fail(correlationId, err instanceof Error ? err : new Error(String(err)));
    }
  }

  private publishCall(session: AmqpSession, correlationId: string, routingKey: string, body: Buffer, deadline: number): void {
    // The request dies unread in its queue once its caller has stopped waiting.
    session.publishCall(routingKey, body, correlationId, String(Math.max(1, deadline - Date.now())));
    this.pending.sentOn(correlationId, session);
  }

  private async attachServers(session: AmqpSession): Promise<void> {
    for (const server of [...this.servers]) {
      try {
        await server.attach(session);
      } catch (err) {
        if (!session.isOpen) throw err;
        this.options.logger.error('cannot consume for a server after reconnecting', { topic: server.target.topic, error: String(err) });
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new ServiceUnavailable('The transport is closed.');
  }
}

function resolve(options: AmqpTransportOptions): ResolvedAmqpOptions {
  return {
    url: options.url ?? 'amqp://guest:guest@127.0.0.1:5672',
    exchange: options.exchange ?? 'nubo',
    replyTo: options.replyTo ?? 'queue',
    prefetch: options.prefetch ?? 64,
    defaultTimeoutMs: options.defaultTimeoutMs ?? 60_000,
    publishTimeoutMs: options.publishTimeoutMs ?? 60_000,
    reconnectInitialDelayMs: options.reconnectInitialDelayMs ?? 100,
    reconnectMaxDelayMs: options.reconnectMaxDelayMs ?? 5_000,
    heartbeatSeconds: options.heartbeatSeconds ?? 10,
    connectionName: options.connectionName ?? 'nubo',
    dedupCapacity: options.dedupCapacity ?? 10_000,
    logger: (options.logger ?? new JsonLogger((r) => process.stderr.write(JSON.stringify(r) + '\n'), 'warn'))
      .child({ component: 'amqp-transport' }),
  };
}

function withHeartbeat(url: string, seconds: number): string {
  if (/[?&]heartbeat=/.test(url)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}heartbeat=${seconds}`;
}
