import { enumOf, obj, str, type Schema } from '../http/json-schema.js';

const nameOrId = obj({ id: str(64, 1), name: str(255, 1) });
const domainRef = nameOrId;

/** POST /v3/auth/tokens (Keystone's `auth` schema, closed where the clients are exact). */
export const authSchema: Schema = obj({
  auth: obj({
    identity: obj({
      methods: { type: 'array', minItems: 1, maxItems: 2, items: enumOf('password', 'token') },
      password: obj({ user: obj({ id: str(64, 1), name: str(255, 1), password: str(4096), domain: domainRef }, ['password']) }, ['user']),
      token: obj({ id: str(1024, 1) }, ['id']),
    }, ['methods']),
    scope: {
      anyOf: [
        enumOf('unscoped'),
        obj({ project: obj({ id: str(64, 1), name: str(255, 1), domain: domainRef }) }, ['project']),
        obj({ domain: domainRef }, ['domain']),
      ],
    },
  }, ['identity']),
}, ['auth']);
