import { BadRequest, Forbidden } from '../../errors.js';
import type { ImageVisibility } from '../../model/image.js';
import type { ImageCreateInput } from '../../ports/image-service.js';

export const IMAGE_VISIBILITIES: readonly ImageVisibility[] = ['public', 'private', 'shared', 'community'];
/** Glance's `disk_formats` and `container_formats` defaults. */
export const DISK_FORMATS = ['ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop'] as const;
export const CONTAINER_FORMATS = ['ami', 'ari', 'aki', 'bare', 'ovf', 'ova', 'docker', 'compressed'] as const;
/** Glance's `image_property_quota` and `image_tag_quota` defaults. */
export const IMAGE_MAX_PROPERTIES = 128;
export const IMAGE_MAX_TAGS = 128;
const MAX_INT32 = 2 ** 31 - 1;

/** Glance's core attributes: they cannot be set as free-form properties. */
const RESERVED_PROPERTIES = new Set([
  'id', 'name', 'status', 'visibility', 'owner', 'size', 'virtual_size', 'checksum', 'os_hash_algo',
  'os_hash_value', 'created_at', 'updated_at', 'disk_format', 'container_format', 'min_disk', 'min_ram',
  'protected', 'tags', 'file', 'location', 'locations', 'schema', 'self', 'direct_url', 'deleted', 'deleted_at',
]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isImageId(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/** A project id given as a member: printable, no quotes or backslashes, at most 64 characters. */
export function requireMemberId(value: unknown): string {
  if (typeof value !== 'string' || !/^[^\s"\\]{1,64}$/.test(value)) {
    throw new BadRequest('A member must be a project id: a string of 1 to 64 characters without spaces or quotes.');
  }
  return value;
}

/** The checked, normalised input; throws before anything is written. */
export function validateImageInput(input: Partial<ImageCreateInput>, creating: boolean): Partial<ImageCreateInput> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new BadRequest('Image attributes must be an object.');
  const out: Partial<ImageCreateInput> = {};
  if (input.id !== undefined) {
    if (!creating) throw new Forbidden("Attribute 'id' is read-only.");
    if (!isImageId(input.id)) throw new BadRequest(`Image id "${String(input.id)}" is not a UUID.`);
    out.id = input.id.toLowerCase();
  }
  if (input.name !== undefined) {
    if (input.name !== null && (typeof input.name !== 'string' || input.name.length > 255)) {
      throw new BadRequest('An image name must be a string of at most 255 characters (or null).');
    }
    out.name = input.name;
  }
  if (input.visibility !== undefined) {
    if (!IMAGE_VISIBILITIES.includes(input.visibility)) {
      throw new BadRequest(`Invalid visibility "${String(input.visibility)}": use one of ${IMAGE_VISIBILITIES.join(', ')}.`);
    }
    out.visibility = input.visibility;
  }
  if (input.diskFormat !== undefined) out.diskFormat = oneOfOrNull(input.diskFormat, DISK_FORMATS, 'disk_format');
  if (input.containerFormat !== undefined) out.containerFormat = oneOfOrNull(input.containerFormat, CONTAINER_FORMATS, 'container_format');
  if (input.minDiskGb !== undefined) out.minDiskGb = nonNegativeInt(input.minDiskGb, 'min_disk');
  if (input.minRamMb !== undefined) out.minRamMb = nonNegativeInt(input.minRamMb, 'min_ram');
  if (input.protected !== undefined) {
    if (typeof input.protected !== 'boolean') throw new BadRequest('"protected" must be true or false.');
    out.protected = input.protected;
  }
  if (input.properties !== undefined) out.properties = validateProperties(input.properties);
  if (input.tags !== undefined) out.tags = validateTags(input.tags);
  return out;
}

function oneOfOrNull(value: unknown, allowed: readonly string[], what: string): string | null {
  if (value === null) return null;
  if (typeof value !== 'string' || !allowed.includes(value)) {
    throw new BadRequest(`Invalid ${what} "${String(value)}": use one of ${allowed.join(', ')}.`);
  }
  return value;
}

function nonNegativeInt(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > MAX_INT32) {
    throw new BadRequest(`${what} must be a whole number from 0 to ${MAX_INT32}.`);
  }
  return value;
}

function validateProperties(value: unknown): Record<string, string> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new BadRequest('Image properties must be an object of strings.');
  const entries = Object.entries(value);
  if (entries.length > IMAGE_MAX_PROPERTIES) throw new BadRequest(`An image may have at most ${IMAGE_MAX_PROPERTIES} properties.`);
  const out: Record<string, string> = {};
  for (const [key, v] of entries) {
    if (key.length === 0 || key.length > 255) throw new BadRequest('A property name must have 1 to 255 characters.');
    if (RESERVED_PROPERTIES.has(key)) throw new Forbidden(`Attribute '${key}' is reserved.`);
    if (typeof v !== 'string' || v.length > 65535) throw new BadRequest(`Property "${key}" must be a string of at most 65535 characters.`);
    out[key] = v;
  }
  return out;
}

function validateTags(value: unknown): string[] {
  if (!Array.isArray(value)) throw new BadRequest('Image tags must be a list of strings.');
  if (value.length > IMAGE_MAX_TAGS) throw new BadRequest(`An image may have at most ${IMAGE_MAX_TAGS} tags.`);
  for (const t of value) {
    if (typeof t !== 'string' || t.length === 0 || t.length > 255) throw new BadRequest('A tag must be a string of 1 to 255 characters.');
  }
  return [...new Set(value as string[])];
}
