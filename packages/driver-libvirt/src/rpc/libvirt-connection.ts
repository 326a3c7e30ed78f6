/**
 * A libvirt connection as a driver wants it: opened by URI, authenticated, with keepalive;
 * it reconnects after the socket drops (calls in flight at that moment fail, the next call
 * reconnects) and keeps delivering domain lifecycle events across reconnects.
 */
import { Subject, type Observable } from 'rxjs';
import { MessageType } from './framing.js';
import { LibvirtError, LibvirtErrorCode, VIR_FROM_RPC } from './libvirt-error.js';
import { resolveLibvirtUri, type ResolvedUri } from './libvirt-uri.js';
import { RpcClient, type StreamCaller } from './rpc-client.js';
import type { RpcStream } from './rpc-stream.js';
import type { XdrReader } from './xdr.js';
import { AuthType, authList, connectClose, connectOpen, connectSupportsFeature, DrvFeature } from './procedures/connect.js';
import {
  connectDomainEventCallbackRegisterAny,
  decodeLifecycleEvent,
  DomainEventId,
  type DomainLifecycleEvent,
} from './procedures/events.js';
import { RemoteProcedure } from './procedures/remote-procedure.js';

export interface LibvirtConnectionOptions {
  /** Overrides the socket derived from the URI. */
  socketPath?: string;
  /** Keepalive interval and count (libvirt's defaults: 5 s, 5); `false` turns it off. */
  keepalive?: { intervalMs: number; count: number } | false;
  connectTimeoutMs?: number;
  /** Reconnect back-off bounds while events are wanted. Defaults 500 ms … 15 s. */
  reconnectDelayMs?: { min: number; max: number };
}

export class LibvirtConnection implements StreamCaller {
  private client: RpcClient | null = null;
  private connecting: Promise<RpcClient> | null = null;
  private closed = false;
  private eventsWanted = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly lifecycleSubject = new Subject<DomainLifecycleEvent>();
  private readonly resolved: ResolvedUri;
  private opened = 0;

  /** Every domain lifecycle event of this URI's hypervisor, once `enableLifecycleEvents` ran. */
  readonly lifecycleEvents: Observable<DomainLifecycleEvent> = this.lifecycleSubject.asObservable();

  private constructor(readonly uri: string, private readonly options: LibvirtConnectionOptions) {
    const r = resolveLibvirtUri(uri);
    this.resolved = options.socketPath ? { ...r, target: { path: options.socketPath } } : r;
  }

  /** Connects and opens `uri` (default `qemu:///system`). Rejects with `LibvirtError`. */
  static async open(uri = 'qemu:///system', options: LibvirtConnectionOptions = {}): Promise<LibvirtConnection> {
    const conn = new LibvirtConnection(uri, options);
    await conn.ensureClient();
    return conn;
  }

  /** How many times the socket was (re)opened: 1 after `open`, one more per reconnect. */
  get connects(): number {
    return this.opened;
  }

  /** The socket in use now (for diagnostics and tests); null while disconnected. */
  get currentClient(): RpcClient | null {
    return this.client?.isOpen ? this.client : null;
  }

  async call<T>(proc: number, args: Buffer | null, decode: (r: XdrReader) => T): Promise<T> {
    const client = await this.ensureClient();
    return client.call(proc, args, decode);
  }

  async callWithStream<T>(proc: number, args: Buffer | null, decode: (r: XdrReader) => T): Promise<{ value: T; stream: RpcStream }> {
    const client = await this.ensureClient();
    return client.callWithStream(proc, args, decode);
  }

  /** Registers for lifecycle events of all domains; re-registered after every reconnect. */
  async enableLifecycleEvents(): Promise<void> {
    if (this.eventsWanted) return;
    this.eventsWanted = true;
    const client = await this.ensureClient();
    await connectDomainEventCallbackRegisterAny(client, DomainEventId.LIFECYCLE, null);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = null;
    if (client?.isOpen) {
      await connectClose(client).catch(() => undefined);
      await client.close();
    }
    this.lifecycleSubject.complete();
  }

  private ensureClient(): Promise<RpcClient> {
    if (this.closed) return Promise.reject(new LibvirtError(LibvirtErrorCode.NO_CONNECT, VIR_FROM_RPC, 'libvirt connection was closed'));
    if (this.client?.isOpen) return Promise.resolve(this.client);
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<RpcClient> {
    const client = await RpcClient.connect(this.resolved.target, { connectTimeoutMs: this.options.connectTimeoutMs });
    try {
      // AUTH_LIST must come first; it authenticates a root (or auth "none") client.
      const auth = await authList(client);
      if (!auth.includes(AuthType.NONE)) {
        throw new LibvirtError(LibvirtErrorCode.AUTH_FAILED, VIR_FROM_RPC,
          `libvirt at ${this.uri} wants authentication [${auth.join(', ')}]; Nubo supports none (run as root, or set auth_unix_rw = "none")`);
      }
      await connectOpen(client, this.resolved.name, 0);
      const ka = this.options.keepalive ?? { intervalMs: 5000, count: 5 };
      if (ka && (await connectSupportsFeature(client, DrvFeature.PROGRAM_KEEPALIVE))) client.startKeepalive(ka.intervalMs, ka.count);
      client.messages.subscribe((m) => {
        if (m.header.type === MessageType.MESSAGE && m.header.proc === RemoteProcedure.DOMAIN_EVENT_CALLBACK_LIFECYCLE) {
          try {
            this.lifecycleSubject.next(decodeLifecycleEvent(m.body));
          } catch {
            // A malformed event is dropped; the next state query tells the truth anyway.
          }
        }
      });
      if (this.eventsWanted) await connectDomainEventCallbackRegisterAny(client, DomainEventId.LIFECYCLE, null);
    } catch (err) {
      client.destroy();
      throw err;
    }
    if (this.closed) {
      // close() ran while this socket was being opened.
      await client.close();
      throw new LibvirtError(LibvirtErrorCode.NO_CONNECT, VIR_FROM_RPC, 'libvirt connection was closed');
    }
    client.onClose((err) => {
      if (err && !this.closed) this.scheduleReconnect(this.options.reconnectDelayMs?.min ?? 500);
    });
    this.client = client;
    this.opened++;
    return client;
  }

  /** While events are wanted nobody may call us for a while: reconnect on our own. */
  private scheduleReconnect(delayMs: number): void {
    if (!this.eventsWanted || this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.ensureClient().catch(() => {
        const max = this.options.reconnectDelayMs?.max ?? 15_000;
        this.scheduleReconnect(Math.min(delayMs * 2, max));
      });
    }, delayMs);
    this.reconnectTimer.unref();
  }
}
