const SNAPSHOT_SIZE = 4096;
const CHUNK_SIZE = 1024;

/**
 * The bytes the fake uploads for a snapshot of `instanceUuid`: a readable header followed
 * by a pattern derived from the UUID, always the same for the same instance, so a test can
 * compare what the image service stored with what the driver sent.
 */
export function fakeSnapshotBytes(instanceUuid: string): Uint8Array {
  const header = new TextEncoder().encode(`nubo fake snapshot of ${instanceUuid}\n`);
  const out = new Uint8Array(SNAPSHOT_SIZE);
  out.set(header.subarray(0, SNAPSHOT_SIZE));
  for (let i = header.length; i < SNAPSHOT_SIZE; i++) {
    out[i] = instanceUuid.charCodeAt(i % instanceUuid.length) ^ (i & 0xff);
  }
  return out;
}

/** Streams `bytes` in chunks, the way a real driver streams a disk. */
export async function* chunked(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += CHUNK_SIZE) {
    yield bytes.subarray(offset, offset + CHUNK_SIZE);
  }
}
