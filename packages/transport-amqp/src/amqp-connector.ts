import type { Logger } from '@nubo/core';
import { ServiceUnavailable } from '@nubo/core';
import { AmqpSession, type SessionSettings } from './amqp-session.js';

export interface ConnectorSettings extends SessionSettings {
  socketOptions: Record<string, unknown>;
  initialDelayMs: number;
  maxDelayMs: number;
  logger: Logger;
  /** Runs on every new session before anyone else may use it: re-declare, re-consume. */
  onSession(session: AmqpSession): Promise<void>;
  /** Runs when a session is gone (broker down, connection cut). */
  onLost(session: AmqpSession): void;
}

interface Waiter {
  resolve(session: AmqpSession): void;
  reject(error: Error): void;
  timer?: ReturnType<typeof setTimeout>;
}

/**
 * Keeps one session open: connects on first use, and after a loss reconnects with
 * exponential backoff (with jitter) until it succeeds or the transport is closed.
 */
export class AmqpConnector {
  private session: AmqpSession | null = null;
  private connecting = false;
  private closed = false;
  private lastError: unknown = null;
  private readonly waiters = new Set<Waiter>();
  private wakeUp: (() => void) | null = null;

  constructor(private readonly settings: ConnectorSettings) {}

  /** The open session, waiting for one (up to `deadline`, epoch ms) while (re)connecting. */
  ready(deadline?: number): Promise<AmqpSession> {
    if (this.session?.isOpen) return Promise.resolve(this.session);
    if (this.closed) return Promise.reject(new ServiceUnavailable('The transport is closed.'));
    this.start();
    return new Promise<AmqpSession>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      if (deadline !== undefined) {
        waiter.timer = setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new ServiceUnavailable(`The message broker is unreachable: ${describe(this.lastError)}`));
        }, Math.max(0, deadline - Date.now()));
      }
      this.waiters.add(waiter);
    });
  }

  /** The session if one is open right now, else null. */
  current(): AmqpSession | null {
    return this.session?.isOpen ? this.session : null;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeUp?.();
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new ServiceUnavailable('The transport is closed.'));
    }
    this.waiters.clear();
    const session = this.session;
    this.session = null;
    await session?.close();
  }

  private start(): void {
    if (this.connecting || this.closed) return;
    this.connecting = true;
    void this.connectLoop();
  }

  private async connectLoop(): Promise<void> {
    for (let attempt = 0; !this.closed; attempt++) {
      let session: AmqpSession | null = null;
      try {
        session = await AmqpSession.open(this.settings, this.settings.socketOptions);
        await this.settings.onSession(session);
        if (!session.isOpen) throw new Error('connection lost while declaring');
        if (this.closed) {
          await session.close();
          break;
        }
        if (attempt > 0) this.settings.logger.info('reconnected to the message broker', { attempts: attempt + 1 });
        this.adopt(session);
        break;
      } catch (err) {
        this.lastError = err;
        await session?.close();
        if (attempt === 0 || attempt % 20 === 0) {
          this.settings.logger.warn('cannot reach the message broker; retrying', { error: describe(err), attempt });
        }
        await this.pause(this.backoff(attempt));
      }
    }
    this.connecting = false;
  }

  private adopt(session: AmqpSession): void {
    this.session = session;
    session.onClose(() => {
      if (this.session !== session) return;
      this.session = null;
      this.settings.onLost(session);
      if (!this.closed) {
        this.settings.logger.warn('lost the connection to the message broker; reconnecting');
        this.start();
      }
    });
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.resolve(session);
    }
    this.waiters.clear();
  }

  /** Waits between attempts; `close()` cuts it short. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = done;
    });
  }

  private backoff(attempt: number): number {
    const ceiling = Math.min(this.settings.maxDelayMs, this.settings.initialDelayMs * 2 ** attempt);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : err === null ? 'not connected yet' : String(err);
}
