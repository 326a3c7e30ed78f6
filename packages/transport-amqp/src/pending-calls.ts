import { decodeRpcReply, deserializeError, NuboError, RpcTimeout } from '@nubo/core';

interface PendingCall {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
  /** The session the request went out on; its replies can only come back through it. */
  session: object | null;
}

/** Calls waiting for their reply, keyed by correlation id; each settles exactly once. */
export class PendingCalls {
  private readonly calls = new Map<string, PendingCall>();

  get size(): number {
    return this.calls.size;
  }

  /** Registers a call; its timer starts now, so waiting for the broker counts against it. */
  register<T>(correlationId: string, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.calls.delete(correlationId);
        reject(new RpcTimeout(`Timed out waiting for a reply to ${what} after ${timeoutMs} ms.`));
      }, timeoutMs);
      this.calls.set(correlationId, { resolve: resolve as (v: unknown) => void, reject, timer, session: null });
    });
  }

  sentOn(correlationId: string, session: object): void {
    const call = this.calls.get(correlationId);
    if (call) call.session = session;
  }

  settle(correlationId: string, body: Buffer): void {
    const call = this.take(correlationId);
    if (!call) return;
    try {
      const reply = decodeRpcReply(body.toString('utf8'));
      if (reply.ok) call.resolve(reply.result);
      else call.reject(deserializeError(reply.error));
    } catch (err) {
      call.reject(new NuboError(`Malformed RPC reply: ${(err as Error).message}`));
    }
  }

  fail(correlationId: string, error: Error): void {
    this.take(correlationId)?.reject(error);
  }

  /** Fails the calls sent on a session that is gone: no reply can reach them any more. */
  failSentOn(session: object, error: () => Error): void {
    for (const [id, call] of this.calls) if (call.session === session) this.take(id)?.reject(error());
  }

  failAll(error: () => Error): void {
    for (const id of [...this.calls.keys()]) this.take(id)?.reject(error());
  }

  private take(correlationId: string): PendingCall | undefined {
    const call = this.calls.get(correlationId);
    if (!call) return undefined;
    this.calls.delete(correlationId);
    clearTimeout(call.timer);
    return call;
  }
}
