import { bool, enumOf, int, nullable, obj, str, type Schema } from '../http/json-schema.js';

/** POST /v2/images: Glance's core attributes, plus free-form string properties. */
export const createImageSchema: Schema = {
  type: 'object',
  maxProperties: 160,
  propertyNames: { minLength: 1, maxLength: 255 },
  properties: {
    id: str(36, 36),
    name: nullable(str(255)),
    visibility: enumOf('public', 'private', 'shared', 'community'),
    disk_format: nullable(str(32)),
    container_format: nullable(str(32)),
    min_disk: int(),
    min_ram: int(),
    protected: bool,
    os_hidden: bool,
    tags: { type: 'array', maxItems: 128, items: str(255) },
  },
  additionalProperties: { type: 'string', maxLength: 255 },
};

/** PATCH /v2/images/{id}: a JSON patch. */
export const patchImageSchema: Schema = {
  type: 'array',
  maxItems: 256,
  items: obj({
    op: enumOf('add', 'replace', 'remove'),
    path: { type: 'string', minLength: 2, maxLength: 300, pattern: '^/' },
    value: { anyOf: [str(255), int(), bool, { type: 'null' }, { type: 'array', maxItems: 128, items: str(255) }] },
  }, ['op', 'path']),
};

export const addMemberSchema: Schema = obj({ member: str(64, 1) }, ['member']);
export const memberStatusSchema: Schema = obj({ status: enumOf('accepted', 'pending', 'rejected') }, ['status']);
