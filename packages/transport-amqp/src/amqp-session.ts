import amqp, { type Channel, type ChannelModel, type ConfirmChannel, type ConsumeMessage, type Options } from 'amqplib';
import { queueNameFor, type RpcTarget } from '@nubo/core';
import { declareFanoutExchange, declareRoutedQueue, declareTopicExchange } from './amqp-topology.js';
import { WriteCoalescer } from './write-coalescer.js';

const DIRECT_REPLY_TO = 'amq.rabbitmq.reply-to';

export interface SessionSettings {
  url: string;
  exchange: string;
  replyTo: 'direct' | 'queue';
  connectionName: string;
  onReply(message: ConsumeMessage): void;
}

/**
 * One live connection and what hangs off it: a confirm channel for casts, a channel for calls
 * that also consumes their replies, a channel for declarations, and what has been declared.
 * A session never recovers: when any of its own channels or its connection goes, it is
 * closed for good, and the connector opens a new one that declares everything again.
 */
export class AmqpSession {
  private closedFlag = false;
  private readonly closeListeners: Array<() => void> = [];
  private readonly declared = new Map<string, Promise<unknown>>();
  private readonly routed = new Set<string>();
  private topologyChannel: Promise<Channel> | null = null;
  private readonly coalescer: WriteCoalescer | null;

  private constructor(
    readonly connection: ChannelModel,
    private readonly settings: SessionSettings,
    private readonly castChannel: ConfirmChannel,
    private readonly callChannel: Channel,
    /** The address replies to this session's calls go to. */
    readonly replyAddress: string,
  ) {
    this.coalescer = WriteCoalescer.of(connection);
  }

  static async open(settings: SessionSettings, socketOptions: Record<string, unknown>): Promise<AmqpSession> {
    const connection = await amqp.connect(settings.url, socketOptions);
    connection.on('error', () => undefined);
    try {
      const castChannel = await connection.createConfirmChannel();
      const callChannel = await connection.createChannel();
      for (const ch of [castChannel, callChannel]) ch.on('error', () => undefined);
      await declareTopicExchange(castChannel, settings.exchange);
      let replyAddress = DIRECT_REPLY_TO;
      if (settings.replyTo === 'queue') {
        const q = await callChannel.assertQueue(`reply_${crypto.randomUUID().replace(/-/g, '')}`, {
          exclusive: true, autoDelete: true, durable: false,
        });
        replyAddress = q.queue;
      }
      await callChannel.consume(replyAddress, (m) => m && settings.onReply(m), { noAck: true });
      const session = new AmqpSession(connection, settings, castChannel, callChannel, replyAddress);
      connection.on('close', () => session.markClosed());
      castChannel.on('close', () => session.lose());
      callChannel.on('close', () => session.lose());
      return session;
    } catch (err) {
      await connection.close().catch(() => undefined);
      throw err;
    }
  }

  get isOpen(): boolean {
    return !this.closedFlag;
  }

  onClose(listener: () => void): void {
    if (this.closedFlag) listener();
    else this.closeListeners.push(listener);
  }

  /**
   * Declares (once per session) what a message to `target` needs to be routed and kept.
   * Returns null when that is already done, so the hot path publishes without waiting a tick.
   */
  ensureRoute(target: RpcTarget): Promise<unknown> | null {
    const key = target.fanout ? `fanout:${target.topic}` : `queue:${queueNameFor(target)}`;
    if (this.routed.has(key)) return null;
    let done = this.declared.get(key);
    if (!done) {
      done = this.topology().then(async (ch) => {
        if (target.fanout) await declareFanoutExchange(ch, target.topic);
        else await declareRoutedQueue(ch, this.settings.exchange, queueNameFor(target));
      });
      done.then(() => this.routed.add(key), () => this.declared.delete(key));
      this.declared.set(key, done);
    }
    return done;
  }

  /** Records what a server declared on its own channel, so publishers skip declaring it. */
  markDeclared(target: RpcTarget): void {
    this.routed.add(target.fanout ? `fanout:${target.topic}` : `queue:${queueNameFor(target)}`);
  }

  publishCall(routingKey: string, body: Buffer, correlationId: string, expiration: string): void {
    this.callChannel.publish(this.settings.exchange, routingKey, body, { correlationId, expiration, replyTo: this.replyAddress });
    // Calls made in the same tick (concurrent callers) leave in one socket write.
    this.coalesceWrites();
  }

  /** Publishes and resolves once the broker has taken responsibility for the message. */
  publishConfirmed(exchange: string, routingKey: string, body: Buffer, options: Options.Publish): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const settle = (err: unknown): void => {
        if (settled) return;
        settled = true;
        if (err) reject(err instanceof Error ? err : new Error(String(err)));
        else resolve();
      };
      try {
        this.castChannel.publish(exchange, routingKey, body, options, settle);
        // A burst of casts leaves in a few large socket writes, not one syscall per message.
        this.coalesceWrites();
      } catch (err) {
        settle(err);
      }
    });
  }

  /** Frames written from now until the end of this tick leave in one socket write (see WriteCoalescer). */
  coalesceWrites(): void {
    this.coalescer?.hold();
  }

  /** Closes the connection on purpose; the close listeners still run. */
  async close(): Promise<void> {
    if (this.closedFlag) return;
    await this.connection.close().catch(() => undefined);
    this.markClosed();
  }

  private topology(): Promise<Channel> {
    if (!this.topologyChannel) {
      const opening = this.connection.createChannel().then((ch) => {
        ch.on('error', () => undefined);
        // A refused declaration closes only this channel; the next one opens a new channel.
        ch.on('close', () => { if (this.topologyChannel === opening) this.topologyChannel = null; });
        return ch;
      });
      opening.catch(() => { if (this.topologyChannel === opening) this.topologyChannel = null; });
      this.topologyChannel = opening;
    }
    return this.topologyChannel;
  }

  /** One of the session's own channels died: the session cannot carry on without it. */
  private lose(): void {
    if (this.closedFlag) return;
    this.markClosed();
    void this.connection.close().catch(() => undefined);
  }

  private markClosed(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
