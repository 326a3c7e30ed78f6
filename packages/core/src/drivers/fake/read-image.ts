import { DriverError, NuboError } from '../../errors.js';
import type { ImageSource } from '../../ports/hypervisor-driver.js';

/**
 * Reads the whole image, as a real driver copies it into the host's image cache; returns
 * how many bytes it read. An abort rethrows the signal's reason, a Nubo error passes
 * through, anything else (a broken stream) becomes a retryable `DriverError`.
 */
export async function readImage(instanceUuid: string, image: ImageSource, signal: AbortSignal): Promise<number> {
  let bytes = 0;
  try {
    for await (const chunk of image.open()) {
      signal.throwIfAborted();
      bytes += chunk.byteLength;
    }
  } catch (err) {
    if (signal.aborted && err === signal.reason) throw err;
    if (err instanceof NuboError) throw err;
    const message = err instanceof Error ? err.message : String(err);
    throw new DriverError(`Reading image ${image.meta.id} for instance ${instanceUuid} failed: ${message}`, true, { instanceUuid });
  }
  return bytes;
}
