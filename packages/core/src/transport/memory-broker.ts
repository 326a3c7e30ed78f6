import { MemoryQueue, type MemoryMessage } from './memory-queue.js';

type ReplyRoute = (correlationId: string, body: string) => void;

/**
 * The in-process stand-in for RabbitMQ: named queues that outlive their consumers (a topic
 * queue or host queue holds casts until a server comes), per-subscriber fanout queues, and
 * reply addresses. Each broker is independent; `MemoryTransport`s sharing one broker behave
 * like processes sharing one RabbitMQ.
 */
export class MemoryBroker {
  private readonly queues = new Map<string, MemoryQueue>();
  private readonly fanouts = new Map<string, Set<MemoryQueue>>();
  private readonly replyRoutes = new Map<string, ReplyRoute>();
  private nextId = 0;

  /** The durable queue of that name, declared on first use by publisher or consumer alike. */
  queue(name: string): MemoryQueue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new MemoryQueue(name);
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Number of messages waiting in a queue (0 if it was never declared). */
  depth(name: string): number {
    return this.queues.get(name)?.depth ?? 0;
  }

  publish(queueName: string, message: MemoryMessage): void {
    this.queue(queueName).push(message);
  }

  /** A fanout reaches the subscribers bound at the time; with none, it is dropped, as on AMQP. */
  publishFanout(topic: string, message: MemoryMessage): void {
    for (const queue of this.fanouts.get(topic) ?? []) queue.push({ ...message });
  }

  bindFanout(topic: string): MemoryQueue {
    const queue = new MemoryQueue(`${topic}_fanout_${++this.nextId}`);
    let bound = this.fanouts.get(topic);
    if (!bound) {
      bound = new Set();
      this.fanouts.set(topic, bound);
    }
    bound.add(queue);
    return queue;
  }

  unbindFanout(topic: string, queue: MemoryQueue): void {
    const bound = this.fanouts.get(topic);
    bound?.delete(queue);
    if (bound?.size === 0) this.fanouts.delete(topic);
  }

  /** A new reply address (like an exclusive reply queue) whose messages go to `route`. */
  openReplyAddress(route: ReplyRoute): string {
    const address = `reply_${++this.nextId}`;
    this.replyRoutes.set(address, route);
    return address;
  }

  closeReplyAddress(address: string): void {
    this.replyRoutes.delete(address);
  }

  /** Sends a reply; one to a closed address is dropped, as a reply to a vanished caller is. */
  reply(address: string, correlationId: string, body: string): void {
    setImmediate(() => this.replyRoutes.get(address)?.(correlationId, body));
  }
}
