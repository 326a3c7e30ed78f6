/**
 * A libvirt data stream (virStream over the remote protocol): opened by a call such as
 * STORAGE_VOL_UPLOAD or DOMAIN_OPEN_CONSOLE, then carried by STREAM packets that repeat that
 * call's procedure and serial. Data packets have status CONTINUE; the sender ends the stream
 * with an empty OK packet (the daemon confirms with an empty OK of its own) or aborts it with
 * an ERROR packet. The daemon reports a failure as a REPLY with status ERROR and the serial.
 */
import { Observable, Subject } from 'rxjs';
import { MessageStatus, MessageType, type Message } from './framing.js';
import { decodeRemoteError, LibvirtError, LibvirtErrorCode, VIR_FROM_RPC } from './libvirt-error.js';

/** libvirt's VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX less the header: the data one packet carries. */
export const STREAM_PACKET_MAX = 262_144 - 24;

/** How a stream writes its packets; `RpcClient` implements it. */
export interface StreamTransport {
  /** Writes one STREAM packet; resolves once the socket can take more (backpressure). */
  writeStreamPacket(proc: number, serial: number, status: MessageStatus, body?: Buffer): Promise<void>;
  /** Forgets the stream: later packets with its serial are dropped. */
  releaseStream(serial: number): void;
}

export class RpcStream {
  private readonly incoming = new Subject<Buffer>();
  /** Packets that came before anyone subscribed to `data` (they often share a read with the reply). */
  private early: Buffer[] | null = [];
  private finished: { resolve: () => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  private done = false;

  /**
   * Data the daemon sends (a readstream such as a console); completes when it ends the stream.
   * The first subscriber also gets what arrived before it subscribed.
   */
  readonly data: Observable<Buffer> = new Observable<Buffer>((subscriber) => {
    const early = this.early ?? [];
    this.early = null;
    for (const b of early) subscriber.next(b);
    if (this.failure) subscriber.error(this.failure);
    else if (this.done) subscriber.complete();
    else return this.incoming.subscribe(subscriber);
    return undefined;
  });

  constructor(private readonly transport: StreamTransport, readonly proc: number, readonly serial: number) {}

  /** Sends `bytes` in packets of at most STREAM_PACKET_MAX; rejects once the daemon reported a failure. */
  async send(bytes: Uint8Array): Promise<void> {
    for (let off = 0; off < bytes.length; off += STREAM_PACKET_MAX) {
      this.throwIfFailed();
      const chunk = Buffer.from(bytes.buffer, bytes.byteOffset + off, Math.min(STREAM_PACKET_MAX, bytes.length - off));
      await this.transport.writeStreamPacket(this.proc, this.serial, MessageStatus.CONTINUE, chunk);
    }
    this.throwIfFailed();
  }

  /** Ends a stream we wrote to; resolves when the daemon confirms that all data arrived. */
  finish(): Promise<void> {
    this.throwIfFailed();
    const confirmed = new Promise<void>((resolve, reject) => {
      this.finished = { resolve, reject };
    });
    void this.transport.writeStreamPacket(this.proc, this.serial, MessageStatus.OK).catch((err: Error) => this.fail(err));
    return confirmed;
  }

  /** Abandons the stream; the daemon drops what it got (an upload's volume keeps partial data). */
  async abort(): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.transport.releaseStream(this.serial);
    this.incoming.complete();
    await this.transport.writeStreamPacket(this.proc, this.serial, MessageStatus.ERROR).catch(() => undefined);
  }

  /** Called by the client for each packet with this stream's serial. */
  receive(m: Message): void {
    if (this.done) return;
    const { type, status } = m.header;
    if (status === MessageStatus.ERROR) {
      this.fail(decodeRemoteError(m.body));
    } else if (type === MessageType.STREAM && status === MessageStatus.CONTINUE) {
      if (this.early) this.early.push(m.body);
      else this.incoming.next(m.body);
    } else if (type === MessageType.STREAM && status === MessageStatus.OK) {
      this.end();
      this.finished?.resolve();
    }
  }

  /** The connection went away, or the daemon reported an error. */
  fail(err: Error): void {
    if (this.done) return;
    this.failure = err;
    this.end();
    this.incoming.error(err);
    this.finished?.reject(err);
  }

  private end(): void {
    this.done = true;
    this.transport.releaseStream(this.serial);
    if (!this.failure) this.incoming.complete();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
    if (this.done) throw new LibvirtError(LibvirtErrorCode.RPC, VIR_FROM_RPC, `stream of procedure ${this.proc} is already closed`);
  }
}
