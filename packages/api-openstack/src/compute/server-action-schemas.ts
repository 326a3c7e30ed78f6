import { bool, enumOf, nullable, obj, str, stringMap, type Schema } from '../http/json-schema.js';

const noArgs: Schema = { anyOf: [{ type: 'null' }, obj({})] };
const ref: Schema = { anyOf: [str(1024, 1), { type: 'integer', minimum: 0 }] };

/** POST /servers/{id}/action: exactly one action, each with Nova's body shape. */
export const serverActionSchema: Schema = {
  type: 'object',
  minProperties: 1,
  maxProperties: 1,
  additionalProperties: false,
  properties: {
    reboot: obj({ type: { type: 'string', pattern: '^([Ss][Oo][Ff][Tt]|[Hh][Aa][Rr][Dd])$' } }, ['type']),
    'os-stop': noArgs,
    'os-start': noArgs,
    pause: noArgs,
    unpause: noArgs,
    suspend: noArgs,
    resume: noArgs,
    confirmResize: noArgs,
    revertResize: noArgs,
    createImage: obj({ name: str(255, 1), metadata: stringMap() }, ['name']),
    resize: obj({ flavorRef: ref, 'OS-DCF:diskConfig': enumOf('AUTO', 'MANUAL') }, ['flavorRef']),
    rebuild: obj({
      imageRef: ref,
      name: str(255, 1),
      metadata: stringMap(),
      adminPass: str(255),
      accessIPv4: nullable(str(15)),
      accessIPv6: nullable(str(64)),
      preserve_ephemeral: bool,
      personality: { type: 'array', maxItems: 0 },
      'OS-DCF:diskConfig': enumOf('AUTO', 'MANUAL'),
    }, ['imageRef']),
  },
};
