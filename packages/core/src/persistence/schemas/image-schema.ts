import { EntitySchema } from 'typeorm';
import type { Image } from '../../model/image.js';
import { bool, id, int, json, snake, str, time } from '../column-types.js';

export const ImageSchema = new EntitySchema<Image>({
  name: 'Image',
  tableName: 'images',
  columns: snake({
    id: id(36),
    name: str(255, true),
    status: str(32),
    visibility: str(32),
    ownerId: str(64),
    diskFormat: str(32, true),
    containerFormat: str(32, true),
    minDiskGb: int(),
    minRamMb: int(),
    sizeBytes: { type: 'bigint', nullable: true, transformer: { to: (v: number | null) => v, from: (v: string | null) => (v == null ? null : Number(v)) } },
    checksum: str(32, true),
    hashValue: str(128, true),
    protected: bool(),
    properties: json(),
    tags: json(),
    members: json(),
    createdAt: time(),
    updatedAt: time(),
  }),
});
