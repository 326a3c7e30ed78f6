/**
 * Message ids this process has handled or is handling. RabbitMQ delivers at least once: a
 * message whose ack was lost with a connection comes back after the reconnect, and a cast
 * republished after an unconfirmed publish may arrive twice. Both are recognised here and
 * acknowledged without running the handler again.
 *
 * Bounded: ids are kept in two generations of `capacity` each, and the older generation is
 * dropped whole when the newer fills up, so at least the latest `capacity` ids (and at most
 * twice as many) are remembered. (Evicting one id at a time from a Set costs a scan over the
 * holes earlier deletions left at its front: tens of µs per message once it is full.)
 */
export class HandledMessages {
  private current = new Set<string>();
  private previous = new Set<string>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly generationSize: number;

  constructor(capacity: number) {
    this.generationSize = Math.max(1, capacity);
  }

  /** `done` if already handled, the running handler's promise if in flight, else undefined. */
  check(id: string | undefined): 'done' | Promise<void> | undefined {
    if (!id) return undefined;
    if (this.current.has(id) || this.previous.has(id)) return 'done';
    return this.running.get(id);
  }

  start(id: string | undefined, work: Promise<void>): void {
    if (id) this.running.set(id, work);
  }

  finish(id: string | undefined): void {
    if (!id) return;
    this.running.delete(id);
    if (this.current.size >= this.generationSize) {
      this.previous = this.current;
      this.current = new Set();
    }
    this.current.add(id);
  }
}
