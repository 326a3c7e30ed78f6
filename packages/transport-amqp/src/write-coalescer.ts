/** The part of a socket (`net.Socket`) that holds writes back and lets them go together. */
interface Corkable {
  cork(): void;
  uncork(): void;
}

/**
 * Lets the frames just written in this tick leave in one socket write: a call's reply and the
 * ack of its request, which would otherwise be two `write` syscalls and two TCP segments.
 *
 * amqplib queues each frame on its channel and writes them to the socket one by one in a
 * `setImmediate` scheduled from a `process.nextTick` that the first frame queued. Called right
 * after those frames were handed to amqplib, `hold()` corks the socket and schedules the
 * uncork the same way, so after that flush: the frames go out as one `writev`, in the same
 * turn of the event loop as before. Nothing waits longer; were amqplib ever to flush later
 * than this, the frames would merely leave separately, as without it.
 */
export class WriteCoalescer {
  private holding = false;

  private constructor(private readonly socket: Corkable) {}

  /** For amqplib's connection (`ChannelModel`); null if its socket cannot be corked. */
  static of(connection: unknown): WriteCoalescer | null {
    const socket = (connection as { connection?: { stream?: Partial<Corkable> } }).connection?.stream;
    return typeof socket?.cork === 'function' && typeof socket.uncork === 'function' ? new WriteCoalescer(socket as Corkable) : null;
  }

  hold(): void {
    if (this.holding) return;
    this.holding = true;
    this.socket.cork();
    process.nextTick(() => setImmediate(() => {
      this.holding = false;
      this.socket.uncork();
    }));
  }
}
