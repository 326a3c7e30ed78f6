import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BadRequest, NotFound, QuotaExceeded } from '../../errors.js';

/** What storing an image's bytes produced. */
export interface StoredImageData {
  sizeBytes: number;
  /** MD5, hex (Glance's `checksum`). */
  checksum: string;
  /** SHA-512, hex (Glance's `os_hash_value`). */
  hashValue: string;
}

const PART_SUFFIX = '.part';

/**
 * Image bytes as files in one directory, one file per image named by its id. Bytes are
 * written to a temporary file and renamed into place only when complete, so a reader never
 * sees half an image. Ids must be validated by the caller (they become file names).
 */
export class ImageDataStore {
  constructor(readonly dataDir: string) {}

  /** Streams `data` to disk, hashing as it goes; removes the partial file on any failure. */
  async write(id: string, data: AsyncIterable<Uint8Array>, maxBytes: number, onProgress?: (bytes: number) => void): Promise<StoredImageData> {
    await mkdir(this.dataDir, { recursive: true });
    const tmp = join(this.dataDir, `.${id}.${randomBytes(6).toString('hex')}${PART_SUFFIX}`);
    const md5 = createHash('md5');
    const sha512 = createHash('sha512');
    let size = 0;
    const file = await open(tmp, 'wx');
    try {
      for await (const chunk of data) {
        if (!(chunk instanceof Uint8Array)) throw new BadRequest('Image data must be a stream of bytes.');
        size += chunk.byteLength;
        if (size > maxBytes) throw new QuotaExceeded(`Image exceeds the storage limit of ${maxBytes} bytes.`, 413);
        md5.update(chunk);
        sha512.update(chunk);
        for (let offset = 0; offset < chunk.byteLength; ) {
          const { bytesWritten } = await file.write(chunk, offset, chunk.byteLength - offset);
          offset += bytesWritten;
        }
        onProgress?.(size);
      }
      await file.sync();
      await file.close();
      await rename(tmp, this.pathOf(id));
    } catch (err) {
      await file.close().catch(() => undefined);
      await rm(tmp, { force: true });
      throw err;
    }
    return { sizeBytes: size, checksum: md5.digest('hex'), hashValue: sha512.digest('hex') };
  }

  /** The stored bytes; `NotFound` when the file is gone (deleted behind the store's back). */
  async read(id: string): Promise<AsyncIterable<Uint8Array>> {
    const path = this.pathOf(id);
    try {
      await stat(path);
    } catch {
      throw new NotFound(`The data of image ${id} is missing from the image store (${this.dataDir}).`);
    }
    return createReadStream(path);
  }

  async remove(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
  }

  /** Deletes temporary files left by uploads a crash interrupted. */
  async removePartialFiles(): Promise<number> {
    let names: string[];
    try {
      names = await readdir(this.dataDir);
    } catch {
      return 0;
    }
    const partial = names.filter((n) => n.startsWith('.') && n.endsWith(PART_SUFFIX));
    await Promise.all(partial.map((n) => rm(join(this.dataDir, n), { force: true })));
    return partial.length;
  }

  private pathOf(id: string): string {
    return join(this.dataDir, id);
  }
}
