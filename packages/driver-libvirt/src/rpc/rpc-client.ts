/**
 * One connection to a libvirt daemon's RPC socket: serial numbers, any number of calls in
 * flight at once, replies matched by serial, asynchronous messages (events) as an Observable,
 * and keepalive (answering the daemon's PINGs, sending our own and dropping a dead peer).
 */
import { connect as netConnect, type Socket } from 'node:net';
import { Subject, type Observable } from 'rxjs';
import { encodeMessage, MessageDecoder, MessageStatus, MessageType, type Message } from './framing.js';
import { decodeRemoteError, LibvirtError, LibvirtErrorCode, VIR_FROM_RPC } from './libvirt-error.js';
import { RpcStream, type StreamTransport } from './rpc-stream.js';
import { XdrReader } from './xdr.js';

/** remote_protocol.x: REMOTE_PROGRAM / REMOTE_PROTOCOL_VERSION */
export const REMOTE_PROGRAM = 0x20008086;
export const REMOTE_PROTOCOL_VERSION = 1;
/** virkeepaliveprotocol.x */
export const KEEPALIVE_PROGRAM = 0x6b656570;
export const KEEPALIVE_PROTOCOL_VERSION = 1;
export const KeepaliveProc = { PING: 1, PONG: 2 } as const;

/** Where the daemon listens: a unix socket path, or host and port (libvirtd's `listen_tcp`). */
export type SocketTarget = { path: string } | { host: string; port: number };

/** Anything that can make a typed remote call: an `RpcClient`, or a reconnecting connection. */
export interface RemoteCaller {
  /**
   * Calls procedure `proc` of the remote program with an XDR-encoded argument body and decodes
   * the reply with `decode` (which must consume the whole body). Rejects with `LibvirtError`.
   */
  call<T>(proc: number, args: Buffer | null, decode: (r: XdrReader) => T): Promise<T>;
}

/** A caller that can also make the calls that open a data stream (uploads, consoles). */
export interface StreamCaller extends RemoteCaller {
  /**
   * Calls `proc` like `call`, and returns with its result the stream the call opened; packets
   * the daemon sends right after its reply are not lost.
   */
  callWithStream<T>(proc: number, args: Buffer | null, decode: (r: XdrReader) => T): Promise<{ value: T; stream: RpcStream }>;
}

interface Pending {
  proc: number;
  decode: (r: XdrReader) => unknown;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export interface RpcClientOptions {
  /** Gives up connecting after this long. Default 10 s. */
  connectTimeoutMs?: number;
}

const connectionClosed = (why: string) => new LibvirtError(LibvirtErrorCode.RPC, VIR_FROM_RPC, why);

export class RpcClient implements StreamCaller, StreamTransport {
  private serial = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly decoder = new MessageDecoder();
  private readonly messageSubject = new Subject<Message>();
  private readonly openStreams = new Map<number, RpcStream>();
  private closedError: Error | null = null;
  private closeListeners: ((err: Error | null) => void)[] = [];
  private keepaliveTimer: NodeJS.Timeout | null = null;
  private lastReceived = Date.now();
  private userClosed = false;

  /** Asynchronous messages of the remote program (type MESSAGE): domain events and the like. */
  readonly messages: Observable<Message> = this.messageSubject.asObservable();

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.fail(connectionClosed(`libvirt connection failed: ${err.message}`)));
    socket.on('close', () => this.fail(connectionClosed('libvirt connection closed')));
  }

  /** Opens the socket; no libvirt handshake happens here (see `LibvirtConnection`). */
  static connect(target: SocketTarget, options: RpcClientOptions = {}): Promise<RpcClient> {
    const timeoutMs = options.connectTimeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const socket = 'path' in target ? netConnect(target.path) : netConnect(target.port, target.host);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new LibvirtError(LibvirtErrorCode.NO_CONNECT, VIR_FROM_RPC, `timed out connecting to libvirt at ${describe(target)}`));
      }, timeoutMs);
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(new LibvirtError(LibvirtErrorCode.NO_CONNECT, VIR_FROM_RPC, `cannot connect to libvirt at ${describe(target)}: ${err.message}`));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        resolve(new RpcClient(socket));
      });
    });
  }

  /** True until the connection closes, for whatever reason. */
  get isOpen(): boolean {
    return this.closedError === null && !this.userClosed;
  }

  /** Runs `listener` once the connection is gone; `err` is null after `close()`. */
  onClose(listener: (err: Error | null) => void): void {
    if (!this.isOpen) listener(this.userClosed ? null : this.closedError);
    else this.closeListeners.push(listener);
  }

  call<T>(proc: number, args: Buffer | null, decode: (r: XdrReader) => T): Promise<T> {
    return this.send(proc, args, decode).result;
  }

  async callWithStream<T>(proc: number, args: Buffer | null, decode: (r: XdrReader) => T): Promise<{ value: T; stream: RpcStream }> {
    const { serial, result } = this.send(proc, args, decode, (s) => new RpcStream(this, proc, s));
    const stream = this.openStreams.get(serial)!;
    try {
      return { value: await result, stream };
    } catch (err) {
      this.openStreams.delete(serial);
      throw err;
    }
  }

  writeStreamPacket(proc: number, serial: number, status: MessageStatus, body?: Buffer): Promise<void> {
    if (!this.isOpen) return Promise.reject(this.closedError ?? connectionClosed('libvirt connection is closed'));
    const packet = encodeMessage({ prog: REMOTE_PROGRAM, vers: REMOTE_PROTOCOL_VERSION, proc, type: MessageType.STREAM, serial, status }, body);
    if (this.socket.write(packet)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onDrain = () => {
        this.socket.off('close', onClose);
        resolve();
      };
      const onClose = () => {
        this.socket.off('drain', onDrain);
        reject(this.closedError ?? connectionClosed('libvirt connection closed'));
      };
      this.socket.once('drain', onDrain);
      this.socket.once('close', onClose);
    });
  }

  releaseStream(serial: number): void {
    this.openStreams.delete(serial);
  }

  /** Writes a CALL; `openStream` registers its stream before the call leaves, so no packet is missed. */
  private send<T>(proc: number, args: Buffer | null, decode: (r: XdrReader) => T, openStream?: (serial: number) => RpcStream): { serial: number; result: Promise<T> } {
    if (!this.isOpen) return { serial: 0, result: Promise.reject(this.closedError ?? connectionClosed('libvirt connection is closed')) };
    this.serial = (this.serial + 1) >>> 0;
    const serial = this.serial;
    if (openStream) this.openStreams.set(serial, openStream(serial));
    const result = new Promise<T>((resolve, reject) => {
      this.pending.set(serial, { proc, decode, resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(
        encodeMessage(
          { prog: REMOTE_PROGRAM, vers: REMOTE_PROTOCOL_VERSION, proc, type: MessageType.CALL, serial, status: MessageStatus.OK },
          args ?? undefined,
        ),
      );
    });
    return { serial, result };
  }

  /**
   * Sends a PING whenever nothing arrived for `intervalMs`, and drops the connection when
   * nothing (no reply, no PONG) arrived for `intervalMs * count` — libvirt's own client rule.
   * Only after CONNECT_SUPPORTS_FEATURE(PROGRAM_KEEPALIVE) said yes.
   */
  startKeepalive(intervalMs = 5000, count = 5): void {
    this.stopKeepalive();
    this.lastReceived = Date.now();
    this.keepaliveTimer = setInterval(() => {
      const idle = Date.now() - this.lastReceived;
      if (idle >= intervalMs * count) {
        this.destroy(connectionClosed(`no keepalive response from libvirt in ${idle} ms`));
      } else if (idle >= intervalMs) {
        this.sendKeepalive(KeepaliveProc.PING);
      }
    }, intervalMs);
    this.keepaliveTimer.unref();
  }

  private stopKeepalive(): void {
    if (this.keepaliveTimer) clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = null;
  }

  private sendKeepalive(proc: number): void {
    if (!this.isOpen) return;
    this.socket.write(
      encodeMessage({ prog: KEEPALIVE_PROGRAM, vers: KEEPALIVE_PROTOCOL_VERSION, proc, type: MessageType.MESSAGE, serial: 0, status: MessageStatus.OK }),
    );
  }

  /** Closes the socket; calls in flight reject. Idempotent. */
  close(): Promise<void> {
    if (!this.isOpen) return Promise.resolve();
    this.userClosed = true;
    this.stopKeepalive();
    return new Promise((resolve) => {
      this.socket.once('close', () => resolve());
      this.socket.end();
      setTimeout(() => this.socket.destroy(), 1000).unref();
    });
  }

  /** Drops the connection at once, as a network failure would: pending calls reject with `err`. */
  destroy(err: Error = connectionClosed('libvirt connection destroyed')): void {
    this.fail(err);
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.lastReceived = Date.now();
    let messages: Message[];
    try {
      messages = this.decoder.push(chunk);
    } catch (err) {
      this.destroy(connectionClosed(`libvirt sent a malformed message: ${(err as Error).message}`));
      return;
    }
    for (const m of messages) this.dispatch(m);
  }

  private dispatch(m: Message): void {
    const { header } = m;
    if (header.prog === KEEPALIVE_PROGRAM) {
      if (header.proc === KeepaliveProc.PING) this.sendKeepalive(KeepaliveProc.PONG);
      return;
    }
    if (header.prog !== REMOTE_PROGRAM) return;
    if (header.type === MessageType.MESSAGE) {
      this.messageSubject.next(m);
      return;
    }
    if (header.type === MessageType.STREAM) {
      this.openStreams.get(header.serial)?.receive(m);
      return;
    }
    if (header.type !== MessageType.REPLY) return;
    const p = this.pending.get(header.serial);
    if (!p) {
      // A stream's failure comes as an ERROR reply with the serial of the call that opened it.
      this.openStreams.get(header.serial)?.receive(m);
      return;
    }
    this.pending.delete(header.serial);
    if (header.status === MessageStatus.ERROR) {
      p.reject(decodeRemoteError(m.body));
      return;
    }
    try {
      const r = new XdrReader(m.body);
      const value = p.decode(r);
      r.end();
      p.resolve(value);
    } catch (err) {
      p.reject(new LibvirtError(LibvirtErrorCode.RPC, VIR_FROM_RPC, `cannot decode reply to procedure ${p.proc}: ${(err as Error).message}`));
    }
  }

  private fail(err: Error): void {
    if (this.closedError) return;
    this.closedError = err;
    this.stopKeepalive();
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.messageSubject.complete();
    for (const stream of [...this.openStreams.values()]) stream.fail(err);
    this.openStreams.clear();
    const listeners = this.closeListeners;
    this.closeListeners = [];
    for (const l of listeners) l(this.userClosed ? null : err);
  }
}

function describe(t: SocketTarget): string {
  return 'path' in t ? t.path : `${t.host}:${t.port}`;
}
