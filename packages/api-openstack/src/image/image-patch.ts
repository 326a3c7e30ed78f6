import { BadRequest, Forbidden, type Image, type ImageCreateInput, type ImageVisibility } from '@nubo/core';

/** One operation of Glance's `application/openstack-images-v2.1-json-patch`. */
export interface PatchOp {
  op: 'add' | 'replace' | 'remove';
  path: string;
  value?: unknown;
}

const READ_ONLY = new Set(['id', 'status', 'owner', 'size', 'virtual_size', 'checksum', 'os_hash_algo', 'os_hash_value', 'created_at', 'updated_at', 'file', 'self', 'schema', 'direct_url', 'locations', 'os_hidden']);

const FIELDS: Record<string, keyof ImageCreateInput> = {
  name: 'name', visibility: 'visibility', disk_format: 'diskFormat', container_format: 'containerFormat',
  min_disk: 'minDiskGb', min_ram: 'minRamMb', protected: 'protected',
};

/** Applies a JSON patch to an image, giving the attributes to update (properties and tags whole). */
export function applyImagePatch(image: Image, ops: PatchOp[]): Partial<ImageCreateInput> {
  const out: Partial<ImageCreateInput> = {};
  let properties: Record<string, string> | null = null;
  let tags: string[] | null = null;
  for (const { op, path, value } of ops) {
    const parts = path.replace(/^\//, '').split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const key = parts[0]!;
    if (READ_ONLY.has(key)) throw new Forbidden(`Attribute '${key}' is read-only.`);
    if (key === 'tags') {
      tags ??= [...image.tags];
      if (parts.length === 1) {
        if (op === 'remove') tags = [];
        else if (!Array.isArray(value) || value.some((t) => typeof t !== 'string')) throw new BadRequest('tags must be a list of strings.');
        else tags = [...(value as string[])];
      } else if (op === 'add' && typeof value === 'string') tags.push(value);
      else if (op === 'remove') tags = tags.filter((t) => t !== parts[1]);
      else throw new BadRequest(`Invalid operation on ${path.slice(0, 64)}.`);
      continue;
    }
    if (parts.length !== 1 || !key) throw new BadRequest(`Invalid JSON pointer ${path.slice(0, 64)}.`);
    const field = FIELDS[key];
    if (field) {
      if (op === 'remove') throw new Forbidden(`Attribute '${key}' cannot be removed.`);
      (out as Record<string, unknown>)[field] = key === 'visibility' ? (value as ImageVisibility) : value;
      continue;
    }
    properties ??= { ...image.properties };
    if (op === 'remove') {
      if (!(key in properties)) throw new BadRequest(`Property ${key.slice(0, 64)} does not exist.`);
      delete properties[key];
    } else {
      if (op === 'replace' && !(key in properties)) throw new BadRequest(`Property ${key.slice(0, 64)} does not exist.`);
      if (typeof value !== 'string') throw new BadRequest(`Property ${key.slice(0, 64)} must be a string.`);
      properties[key] = value;
    }
  }
  if (properties) out.properties = properties;
  if (tags) out.tags = tags;
  return out;
}
