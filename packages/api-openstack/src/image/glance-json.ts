import type { Image } from '@nubo/core';

const glanceTime = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** An image as Glance v2 shows it: core attributes, then free-form properties at the top level. */
export function imageJson(i: Image): Record<string, unknown> {
  return {
    ...i.properties,
    id: i.id,
    name: i.name,
    status: i.status,
    visibility: i.visibility,
    owner: i.ownerId,
    protected: i.protected,
    os_hidden: false,
    checksum: i.checksum,
    os_hash_algo: i.hashValue ? 'sha512' : null,
    os_hash_value: i.hashValue,
    size: i.sizeBytes,
    virtual_size: null,
    min_disk: i.minDiskGb,
    min_ram: i.minRamMb,
    disk_format: i.diskFormat,
    container_format: i.containerFormat,
    tags: i.tags,
    created_at: glanceTime(i.createdAt),
    updated_at: glanceTime(i.updatedAt),
    self: `/v2/images/${i.id}`,
    file: `/v2/images/${i.id}/file`,
    schema: '/v2/schemas/image',
  };
}

export function memberJson(i: Image, memberId: string) {
  return {
    image_id: i.id, member_id: memberId, status: 'accepted',
    created_at: glanceTime(i.updatedAt), updated_at: glanceTime(i.updatedAt), schema: '/v2/schemas/member',
  };
}
