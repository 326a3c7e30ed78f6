/**
 * Message ids this process has handled or is handling. RabbitMQ delivers at least once: a
 * message whose ack was lost with a connection comes back after the reconnect, and a cast
 * republished after an unconfirmed publish may arrive twice. Both are recognised here and
 * acknowledged without running the handler again. Bounded: the oldest ids are forgotten.
 */
export class HandledMessages {
  private readonly done = new Set<string>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly capacity: number) {}

  /** `done` if already handled, the running handler's promise if in flight, else undefined. */
  check(id: string | undefined): 'done' | Promise<void> | undefined {
    if (!id) return undefined;
    if (this.done.has(id)) return 'done';
    return this.running.get(id);
  }

  start(id: string | undefined, work: Promise<void>): void {
    if (id) this.running.set(id, work);
  }

  finish(id: string | undefined): void {
    if (!id) return;
    this.running.delete(id);
    this.done.add(id);
    if (this.done.size > this.capacity) {
      const oldest = this.done.values().next().value;
      if (oldest !== undefined) this.done.delete(oldest);
    }
  }
}
