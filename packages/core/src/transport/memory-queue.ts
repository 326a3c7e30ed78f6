/** A message as the in-process broker holds it: the JSON body, never the caller's objects. */
export interface MemoryMessage {
  body: string;
  /** Reply address of the calling transport; absent for a cast. */
  replyTo?: string;
  correlationId?: string;
  /** A call's message dies unread after its caller stopped waiting (AMQP's per-message TTL). */
  expiresAt?: number;
}

export type MemoryConsumer = (message: MemoryMessage) => void;

/**
 * One queue of the in-process broker: FIFO, held while nobody consumes, handed round-robin
 * to its consumers on a later turn of the event loop (as a wire would).
 */
export class MemoryQueue {
  private messages: MemoryMessage[] = [];
  private head = 0;
  private readonly consumers: MemoryConsumer[] = [];
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
    this.schedule();
  }

  removeConsumer(consumer: MemoryConsumer): void {
    const i = this.consumers.indexOf(consumer);
    if (i >= 0) this.consumers.splice(i, 1);
  }

  private schedule(): void {
    if (this.scheduled || this.depth === 0 || this.consumers.length === 0) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.scheduled = false;
    const now = Date.now();
    while (this.depth > 0 && this.consumers.length > 0) {
      const message = this.messages[this.head++]!;
      if (message.expiresAt !== undefined && message.expiresAt <= now) continue;
      const consumer = this.consumers[this.turn++ % this.consumers.length]!;
      consumer(message);
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
}
