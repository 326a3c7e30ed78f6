import type { ImageSource } from '../../ports/hypervisor-driver.js';
import { readImage } from './read-image.js';

/**
 * The images a fake host holds, as a real driver keeps each base image once per host (Nova's
 * image cache): the first spawn of an image reads it whole, later spawns of the same image
 * (same id and checksum; an active image's data never changes) use the copy. A read that
 * failed or was cancelled leaves nothing behind.
 */
export class FakeImageCache {
  private readonly held = new Map<string, { checksum: string | null; bytes: number }>();

  /** The image's size in bytes, read from the image service unless this host holds it already. */
  async bytesOf(instanceUuid: string, image: ImageSource, signal: AbortSignal): Promise<number> {
    const { id, checksum } = image.meta;
    const held = this.held.get(id);
    if (held && held.checksum === checksum) return held.bytes;
    const bytes = await readImage(instanceUuid, image, signal);
    this.held.set(id, { checksum, bytes });
    return bytes;
  }

}
