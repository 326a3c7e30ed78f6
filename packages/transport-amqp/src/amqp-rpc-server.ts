import type { Channel, ConsumeMessage } from 'amqplib';
import {
  decodeRpcRequest, dispatchRpc, encodeRpcReply, queueNameFor, type Logger, type RpcEndpoint, type RpcRequest, type RpcServerHandle,
} from '@nubo/core';
import type { AmqpSession } from './amqp-session.js';
import type { HandledMessages } from './handled-messages.js';
import { declareFanoutQueue, declareRoutedQueue } from './amqp-topology.js';

export interface RpcServerSettings {
  exchange: string;
  prefetch: number;
  logger: Logger;
  handled: HandledMessages;
  onStopped(server: AmqpRpcServer): void;
}

/**
 * One `serve()`: a channel of its own consuming the topic queue, the host queue and an
 * exclusive fanout queue, acknowledging each message only after its handler has finished
 * (and its reply is sent), so a message held by a worker that dies goes to another worker.
 * After a reconnect the transport attaches it to the new session, declaring it all again.
 */
export class AmqpRpcServer implements RpcServerHandle {
  private session: AmqpSession | null = null;
  private channel: Channel | null = null;
  private attaching: Promise<void> | null = null;
  private consumerTags: string[] = [];
  /** Handlers running now; `stop()` waits for them. A counter, not a set of promises: cheap per message. */
  private running = 0;
  private readonly idleWaiters: Array<() => void> = [];
  private readonly unique = crypto.randomUUID().replace(/-/g, '');
  private stopping = false;

  constructor(
    readonly target: { topic: string; server?: string },
    private readonly endpoint: RpcEndpoint,
    private readonly settings: RpcServerSettings,
  ) {}

  /** Declares this server's queues on `session` and consumes them; once per session. */
  attach(session: AmqpSession): Promise<void> {
    if (this.stopping) return Promise.resolve();
    if (this.session === session && this.attaching) return this.attaching;
    this.session = session;
    const attaching = this.consumeOn(session);
    attaching.catch(() => { if (this.attaching === attaching) this.session = null; });
    this.attaching = attaching;
    return attaching;
  }

  async stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      this.settings.onStopped(this);
      await this.attaching?.catch(() => undefined);
      const channel = this.channel;
      if (channel) for (const tag of this.consumerTags) await channel.cancel(tag).catch(() => undefined);
    }
    if (this.running > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    const channel = this.channel;
    this.channel = null;
    await channel?.close().catch(() => undefined);
  }

  private async consumeOn(session: AmqpSession): Promise<void> {
    const { topic, server } = this.target;
    const channel = await session.connection.createChannel();
    channel.on('error', () => undefined);
    channel.on('close', () => this.channelClosed(session, channel));
    await channel.prefetch(this.settings.prefetch);
    const queues = [topic];
    await declareRoutedQueue(channel, this.settings.exchange, topic);
    session.markDeclared({ topic });
    if (server) {
      queues.push(queueNameFor(this.target));
      await declareRoutedQueue(channel, this.settings.exchange, queueNameFor(this.target));
      session.markDeclared(this.target);
    }
    queues.push(await declareFanoutQueue(channel, topic, this.unique));
    session.markDeclared({ topic, fanout: true });
    const tags: string[] = [];
    for (const queue of queues) {
      const { consumerTag } = await channel.consume(queue, (m) => this.receive(channel, queue, m), { noAck: false });
      tags.push(consumerTag);
    }
    this.channel = channel;
    this.consumerTags = tags;
  }

  /** The channel died under a live connection (e.g. its queue was deleted): attach again shortly. */
  private channelClosed(session: AmqpSession, channel: Channel): void {
    if (this.channel === channel) this.channel = null;
    if (this.stopping) return;
    setTimeout(() => {
      if (this.stopping || !session.isOpen || this.session !== session || this.channel) return;
      this.session = null;
      this.attach(session).catch((err: unknown) =>
        this.settings.logger.error('cannot consume again after a channel error', { topic: this.target.topic, error: String(err) }));
    }, 1000).unref();
  }

  private receive(channel: Channel, queue: string, message: ConsumeMessage | null): void {
    if (!message) {
      // The broker cancelled the consumer (its queue went away): start afresh on a new channel.
      void channel.close().catch(() => undefined);
      return;
    }
    if (this.stopping) {
      attempt(() => channel.nack(message, false, true));
      return;
    }
    const { replyTo, messageId } = message.properties as { replyTo?: string; messageId?: string };
    if (replyTo) {
      this.answer(channel, message, replyTo);
      return;
    }
    // A cast is deduplicated by its message id, keyed by queue too: one fanout message reaches
    // several servers of this process, once each.
    const id = messageId && `${queue}/${messageId}`;
    const seen = this.settings.handled.check(id);
    if (seen === 'done') {
      attempt(() => channel.ack(message));
      return;
    }
    this.running++;
    if (seen) {
      void seen.then(() => attempt(() => channel.ack(message))).finally(() => this.finished());
      return;
    }
    const work = this.handleCast(channel, queue, message).finally(() => {
      this.settings.handled.finish(id);
      this.finished();
    });
    this.settings.handled.start(id, work);
  }

  /**
   * A call: run, reply, ack. Not deduplicated: calls are reads or idempotent by contract, and a
   * call redelivered after a lost connection must run again and reply again, since its first
   * reply may have been lost with that connection.
   */
  private answer(channel: Channel, message: ConsumeMessage, replyTo: string): void {
    const request = this.decode(channel, message);
    if (!request) return;
    this.running++;
    const session = this.session;
    void dispatchRpc(this.endpoint, request).then((outcome) => {
      const body = Buffer.from(encodeRpcReply(outcome.reply, request.method));
      attempt(() => channel.publish('', replyTo, body, { correlationId: message.properties.correlationId as string }));
      attempt(() => channel.ack(message));
      // The reply and the ack leave in one socket write.
      session?.coalesceWrites();
      this.finished();
    });
  }

  private async handleCast(channel: Channel, queue: string, message: ConsumeMessage): Promise<void> {
    const request = this.decode(channel, message);
    if (!request) return;
    const session = this.session;
    const outcome = await dispatchRpc(this.endpoint, request);
    // One line per cast run here (with the log level at debug): what an operator reads to see
    // which process handled a request, and how a test proves each ran exactly once.
    this.settings.logger.debug('handled RPC cast', {
      topic: this.target.topic,
      server: this.target.server,
      queue,
      method: request.method,
      messageId: message.properties.messageId as string | undefined,
      requestId: request.ctx?.requestId,
      redelivered: message.fields.redelivered,
      ok: outcome.error === undefined,
    });
    if (outcome.error !== undefined) {
      this.settings.logger.error('RPC cast handler failed', {
        topic: this.target.topic,
        server: this.target.server,
        method: request.method,
        requestId: request.ctx?.requestId,
        error: outcome.error instanceof Error ? outcome.error.message : String(outcome.error),
      });
    }
    // If the channel is gone the broker has already requeued the message; the redelivery
    // is recognised by its id and acknowledged without running the handler again.
    attempt(() => channel.ack(message));
    session?.coalesceWrites();
  }

  /** The request in `message`, or null (and the message dropped) when it cannot be read. */
  private decode(channel: Channel, message: ConsumeMessage): RpcRequest | null {
    try {
      return decodeRpcRequest(message.content.toString('utf8'));
    } catch (err) {
      this.settings.logger.warn('dropped a malformed RPC message', { topic: this.target.topic, error: (err as Error).message });
      attempt(() => channel.ack(message));
      return null;
    }
  }

  private finished(): void {
    if (--this.running === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

/** Channel operations throw once the channel is closed; by then there is nothing left to do. */
function attempt(op: () => unknown): void {
  try {
    op();
  } catch {
    // closed channel
  }
}
