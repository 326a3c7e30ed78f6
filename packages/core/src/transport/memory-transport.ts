import type { CallOptions, CastOptions, RpcEndpoint, RpcServerHandle, RpcTarget, Transport } from '../ports/transport.js';
import { JsonLogger, type Logger } from '../logging/logger.js';
import { deserializeError, RpcTimeout, ServiceUnavailable } from '../errors.js';
import { MemoryBroker } from './memory-broker.js';
import { MemoryRpcServer } from './memory-rpc-server.js';
import { decodeRpcReply, encodeRpcRequest } from './rpc-envelope.js';
import { queueNameFor, validateTarget } from './rpc-target.js';

export interface MemoryTransportOptions {
  /** The broker to join; transports sharing one behave like processes sharing one RabbitMQ. Default: a broker of its own. */
  broker?: MemoryBroker;
  /** Reply timeout of a `call` that names none. Default 60 000 ms. */
  defaultTimeoutMs?: number;
  /**
   * Unfinished messages a server takes from each of its queues at once, as AMQP's prefetch:
   * its handler concurrency per queue. Default 64, as `AmqpTransport`; 0 for no limit.
   */
  prefetch?: number;
  /** Where failed casts are reported (nobody else hears of them). Default: JSON lines on stderr. */
  logger?: Logger;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * The in-process transport, the embedded default: AMQP's semantics without a broker process.
 * Every message is JSON-encoded on the way in and decoded on the way out, so code that works
 * here sees the same values (Dates as strings, no class instances) as over RabbitMQ.
 */
export class MemoryTransport implements Transport {
  readonly broker: MemoryBroker;
  private readonly defaultTimeoutMs: number;
  private readonly prefetch: number;
  private readonly logger: Logger;
  private readonly replyAddress: string;
  private readonly pending = new Map<string, PendingCall>();
  private readonly servers = new Set<MemoryRpcServer>();
  private nextCallId = 0;
  private closed = false;

  constructor(options: MemoryTransportOptions = {}) {
    this.broker = options.broker ?? new MemoryBroker();
    this.defaultTimeoutMs = options.defaultTimeoutMs ?? 60_000;
    this.prefetch = options.prefetch ?? 64;
    this.logger = (options.logger ?? new JsonLogger((r) => process.stderr.write(JSON.stringify(r) + '\n'), 'warn'))
      .child({ component: 'memory-transport' });
    this.replyAddress = this.broker.openReplyAddress((id, body) => this.settle(id, body));
  }

  async serve(target: { topic: string; server?: string }, endpoint: RpcEndpoint): Promise<RpcServerHandle> {
    this.assertOpen();
    validateTarget(target, 'serve');
    const server = new MemoryRpcServer(this.broker, { topic: target.topic, server: target.server }, endpoint, this.logger,
      this.prefetch, (s) => this.servers.delete(s));
    this.servers.add(server);
    return server;
  }

  call<T = unknown>(target: RpcTarget, method: string, args: unknown, options: CallOptions = {}): Promise<T> {
    try {
      this.assertOpen();
      validateTarget(target, 'call');
    } catch (err) {
      return Promise.reject(err);
    }
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    let body: string;
    try {
      body = encodeRpcRequest({ method, args, ctx: options.context ?? null });
    } catch (err) {
      return Promise.reject(err);
    }
    const correlationId = String(++this.nextCallId);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(new RpcTimeout(`Timed out waiting for a reply to ${method} on ${queueNameFor(target)} after ${timeoutMs} ms.`));
      }, timeoutMs);
      this.pending.set(correlationId, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.broker.publish(queueNameFor(target), {
        body, replyTo: this.replyAddress, correlationId, expiresAt: Date.now() + timeoutMs,
      });
    });
  }

  async cast(target: RpcTarget, method: string, args: unknown, options: CastOptions = {}): Promise<void> {
    this.assertOpen();
    validateTarget(target, 'cast');
    const body = encodeRpcRequest({ method, args, ctx: options.context ?? null });
    if (target.fanout) this.broker.publishFanout(target.topic, { body });
    else this.broker.publish(queueNameFor(target), { body });
  }

  /** Stops every server of this transport (waiting for their handlers) and fails pending calls. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.servers].map((s) => s.stop()));
    this.broker.closeReplyAddress(this.replyAddress);
    for (const [id, call] of this.pending) {
      clearTimeout(call.timer);
      call.reject(new ServiceUnavailable('The transport was closed before the reply arrived.'));
      this.pending.delete(id);
    }
  }

  private settle(correlationId: string, body: string): void {
    const call = this.pending.get(correlationId);
    if (!call) return;
    this.pending.delete(correlationId);
    clearTimeout(call.timer);
    const reply = decodeRpcReply(body);
    if (reply.ok) call.resolve(reply.result);
    else call.reject(deserializeError(reply.error));
  }

  private assertOpen(): void {
    if (this.closed) throw new ServiceUnavailable('The transport is closed.');
  }
}
