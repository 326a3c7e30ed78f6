import type { SnapshotTarget } from '../../ports/hypervisor-driver.js';

/** One upload a `RecordingSnapshotTarget` received. */
export interface RecordedUpload {
  bytes: Uint8Array;
  diskFormat: string;
  containerFormat: string;
}

/** A snapshot target that keeps what a driver uploads, for assertions. */
export class RecordingSnapshotTarget implements SnapshotTarget {
  readonly uploads: RecordedUpload[] = [];

  constructor(readonly imageId = 'conformance-snapshot') {}

  async upload(data: AsyncIterable<Uint8Array>, format: { diskFormat: string; containerFormat: string }): Promise<void> {
    const chunks: Uint8Array[] = [];
    for await (const chunk of data) chunks.push(chunk.slice());
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    let offset = 0;
    for (const c of chunks) {
      bytes.set(c, offset);
      offset += c.byteLength;
    }
    this.uploads.push({ bytes, ...format });
  }
}
