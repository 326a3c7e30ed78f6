/** A message as the in-process broker holds it: the JSON body, never the caller's objects. */
export interface MemoryMessage {
  body: string;
  /** Reply address of the calling transport; absent for a cast. */
  replyTo?: string;
  correlationId?: string;
  /** A call's message dies unread after its caller stopped waiting (AMQP's per-message TTL). */
  expiresAt?: number;
}

/** A consumer of a queue; like an AMQP consumer with `prefetch`, it holds at most that many unfinished messages (0: no limit). */
export interface MemoryConsumer {
  prefetch: number;
  /** Handles a message; the returned promise settles when it is finished (acknowledged). */
  deliver(message: MemoryMessage): Promise<void>;
}

/**
 * One queue of the in-process broker: FIFO, held while nobody consumes, handed round-robin
 * to the consumers that have room under their prefetch, on a later turn of the event loop
 * (as a wire would).
 */
export class MemoryQueue {
  private messages: MemoryMessage[] = [];
  private head = 0;
  private readonly consumers: MemoryConsumer[] = [];
  private readonly unfinished = new Map<MemoryConsumer, number>();
  private turn = 0;
  private scheduled = false;

  constructor(readonly name: string) {}

  get depth(): number {
    return this.messages.length - this.head;
  }

  get consumerCount(): number {
    return this.consumers.length;
  }

  push(message: MemoryMessage): void {
    this.messages.push(message);
    this.schedule();
  }

  addConsumer(consumer: MemoryConsumer): void {
    this.consumers.push(consumer);
    this.unfinished.set(consumer, 0);
    this.schedule();
  }

  removeConsumer(consumer: MemoryConsumer): void {
    const i = this.consumers.indexOf(consumer);
    if (i >= 0) this.consumers.splice(i, 1);
    this.unfinished.delete(consumer);
  }

  private schedule(): void {
    if (this.scheduled || this.depth === 0 || this.consumers.length === 0) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    const now = Date.now();
    while (this.depth > 0) {
      const consumer = this.nextWithRoom();
      if (!consumer) break;
      const message = this.messages[this.head++]!;
      if (message.expiresAt !== undefined && message.expiresAt <= now) continue;
      this.unfinished.set(consumer, this.unfinished.get(consumer)! + 1);
      const done = (): void => this.finished(consumer);
      consumer.deliver(message).then(done, done);
    }
    if (this.head > 1024 && this.head * 2 > this.messages.length) {
      this.messages = this.messages.slice(this.head);
      this.head = 0;
    }
    if (this.depth === 0) {
      this.messages = [];
      this.head = 0;
    }
  }

  private nextWithRoom(): MemoryConsumer | undefined {
    for (let i = 0; i < this.consumers.length; i++) {
      const consumer = this.consumers[this.turn++ % this.consumers.length]!;
      if (consumer.prefetch <= 0 || this.unfinished.get(consumer)! < consumer.prefetch) return consumer;
    }
    return undefined;
  }

  private finished(consumer: MemoryConsumer): void {
    const count = this.unfinished.get(consumer);
    if (count === undefined) return;
    this.unfinished.set(consumer, count - 1);
    this.schedule();
  }
}
