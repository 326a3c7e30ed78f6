import { bool, enumOf, intLike, nullable, obj, str, stringMap, type Schema } from '../http/json-schema.js';

const ref: Schema = { anyOf: [str(1024), { type: 'integer', minimum: 0 }] };
const networkEntry = obj({ uuid: str(255, 1), fixed_ip: str(64), port: nullable(str(255)), tag: str(60) });

/** POST /servers at 2.1 (Nova's `schemas/servers.py` `base_create` with the extensions folded in). */
export const createServerSchema = obj({
  server: obj({
    name: str(255, 1),
    imageRef: nullable(ref),
    flavorRef: ref,
    adminPass: str(255),
    metadata: stringMap(),
    networks: { anyOf: [{ type: 'array', maxItems: 64, items: networkEntry }, enumOf('auto', 'none')] },
    'OS-DCF:diskConfig': enumOf('AUTO', 'MANUAL'),
    accessIPv4: nullable(str(15)),
    accessIPv6: nullable(str(64)),
    personality: { type: 'array', maxItems: 0 },
    availability_zone: nullable(str(255)),
    config_drive: { anyOf: [bool, str(16), { type: 'null' }] },
    key_name: nullable(str(255)),
    min_count: intLike(1, 1000),
    max_count: intLike(1, 1000),
    return_reservation_id: { anyOf: [bool, enumOf('true', 'false', 'True', 'False', '1', '0')] },
    security_groups: { type: 'array', maxItems: 64, items: obj({ name: str(255, 1) }) },
    user_data: nullable(str(65535 * 2)),
  }, ['name', 'flavorRef']),
  'os:scheduler_hints': { type: 'object', maxProperties: 32, additionalProperties: { anyOf: [str(255), { type: 'array', maxItems: 64, items: str(255) }] } },
  'OS-SCH-HNT:scheduler_hints': { type: 'object', maxProperties: 32, additionalProperties: { anyOf: [str(255), { type: 'array', maxItems: 64, items: str(255) }] } },
}, ['server']);

/** PUT /servers/{id}. */
export const updateServerSchema = obj({
  server: obj({
    name: str(255, 1),
    accessIPv4: nullable(str(15)),
    accessIPv6: nullable(str(64)),
    'OS-DCF:diskConfig': enumOf('AUTO', 'MANUAL'),
  }),
}, ['server']);
