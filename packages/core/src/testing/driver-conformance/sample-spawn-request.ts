import type { Image } from '../../model/image.js';
import type { InstanceSpec } from '../../model/instance.js';
import type { ImageSource, SpawnRequest } from '../../ports/hypervisor-driver.js';

/** A small instance (m1.tiny's 512 MB, 1 vCPU, 1 GB root) named after its UUID. */
export function sampleInstanceSpec(uuid: string, overrides: Partial<Omit<InstanceSpec, 'uuid'>> = {}): InstanceSpec {
  return {
    uuid,
    name: `conformance-${uuid.slice(0, 8)}`,
    projectId: 'conformance-project',
    memoryMb: 512,
    vcpus: 1,
    rootGb: 1,
    ephemeralGb: 0,
    swapMb: 0,
    metadata: {},
    keyData: null,
    userData: null,
    ...overrides,
  };
}

/** An image source that yields `bytes` in chunks, every time it is opened. */
export function bytesImageSource(bytes: Uint8Array, meta: Partial<Image> = {}, chunkSize = 16 * 1024): ImageSource {
  const now = new Date(0);
  return {
    meta: {
      id: 'conformance-image',
      name: 'conformance image',
      status: 'active',
      visibility: 'public',
      ownerId: 'conformance-project',
      diskFormat: 'raw',
      containerFormat: 'bare',
      minDiskGb: 0,
      minRamMb: 0,
      sizeBytes: bytes.length,
      checksum: null,
      hashValue: null,
      protected: false,
      properties: {},
      tags: [],
      members: [],
      createdAt: now,
      updatedAt: now,
      ...meta,
    },
    async *open() {
      for (let offset = 0; offset < bytes.length; offset += chunkSize) yield bytes.slice(offset, offset + chunkSize);
    },
  };
}

/** 64 KiB of a repeating pattern: enough to be streamed in several chunks. */
export function sampleImageBytes(size = 64 * 1024): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = i % 251;
  return bytes;
}

/**
 * The conformance kit's default spawn request: the given instance built from a small raw
 * image, without networks or volumes. It suits the fake driver; a real hypervisor needs an
 * image it can boot (see `tools/test-guest/`).
 */
export function sampleSpawnRequest(instance: InstanceSpec): SpawnRequest {
  return { instance, image: bytesImageSource(sampleImageBytes()), network: [], blockDevices: [] };
}

/** An image source whose stream fails after its first chunk, like a download cut short. */
export function brokenImageSource(meta: Partial<Image> = {}): ImageSource {
  const good = bytesImageSource(sampleImageBytes(), meta);
  return {
    meta: good.meta,
    async *open() {
      yield sampleImageBytes(1024);
      throw new Error('image stream broken by the conformance kit');
    },
  };
}

/** A request no driver can build: its image stream breaks part way. */
export function brokenImageSpawnRequest(instance: InstanceSpec): SpawnRequest {
  return { instance, image: brokenImageSource(), network: [], blockDevices: [] };
}
