import { NuboError, RpcTimeout } from '../errors.js';
import type { CallOptions, RpcTarget, Transport } from '../ports/transport.js';

/** Pause before calling again after a call was cut. */
const RETRY_PAUSE_MS = 200;

/**
 * A `call` that outlives a broker restart: a call the transport failed before its deadline
 * with `RpcTimeout` (its reply had no way back) or with an error of the connection itself
 * (anything but a `NuboError`: remote errors always arrive as one) is made again — within the
 * same deadline — once the transport has reconnected. Only for methods that are safe to run
 * twice (reads, idempotent or conditional writes).
 */
export async function callAcrossReconnects<T>(
  transport: Transport, target: RpcTarget, method: string, args: unknown, options: CallOptions & { timeoutMs: number },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    try {
      return await transport.call<T>(target, method, args, { ...options, timeoutMs: Math.max(1, deadline - Date.now()) });
    } catch (err) {
      const cut = err instanceof RpcTimeout || !(err instanceof NuboError);
      if (!cut || Date.now() + RETRY_PAUSE_MS >= deadline) throw err;
      await new Promise((r) => setTimeout(r, RETRY_PAUSE_MS));
    }
  }
}
