import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ADMIN_TOKENS, BadRequest, type KeyPair, type KeyPairService } from '@nubo/core';
import { body, enumOf, obj, str } from '../http/json-schema.js';
import { queryInt, queryOf } from '../http/query-params.js';
import { novaMicroTime } from './nova-time.js';
import type { ComputeRouteDeps } from './route-deps.js';

type P = { Params: { name: string } };

const createBody = body(obj({
  keypair: obj({
    name: str(255, 1),
    public_key: { type: 'string', maxLength: 16384 },
    type: enumOf('ssh', 'x509'),
    user_id: str(255, 1),
  }, ['name']),
}, ['keypair']));

/** os-keypairs: a user's key pairs; `user_id` (2.10+) lets an admin act for another user. */
export function registerKeypairsRoutes(app: FastifyInstance, deps: ComputeRouteDeps): void {
  const keys = () => deps.cloud.container.get<KeyPairService>(ADMIN_TOKENS.KeyPairs);
  const at = (req: FastifyRequest, v: string) => deps.isMicroversionAtLeast(req, v);
  /** `?user_id=` is honoured from 2.10, as in Nova. */
  const userOf = (req: FastifyRequest) => (at(req, '2.10') ? queryOf(req).user_id : undefined);

  const base = (req: FastifyRequest, k: KeyPair): Record<string, unknown> => {
    const out: Record<string, unknown> = { name: k.name, public_key: k.publicKey, fingerprint: k.fingerprint };
    if (at(req, '2.2')) out.type = k.type;
    return out;
  };

  app.get('/v2.1/os-keypairs', async (req) => {
    const q = queryOf(req);
    const paged = at(req, '2.35');
    const limit = paged ? queryInt(q, 'limit') : undefined;
    const list = await keys().list(deps.requestContext(req), { userId: userOf(req), limit, marker: paged ? q.marker : undefined });
    const out: Record<string, unknown> = { keypairs: list.map((k) => ({ keypair: base(req, k) })) };
    if (paged && limit !== undefined && limit > 0 && list.length === limit) {
      const user = q.user_id !== undefined ? `&user_id=${encodeURIComponent(q.user_id)}` : '';
      out.keypairs_links = [{ rel: 'next', href: `${deps.publicUrl()}/v2.1/os-keypairs?limit=${limit}&marker=${encodeURIComponent(list[list.length - 1]!.name)}${user}` }];
    }
    return out;
  });

  app.get<P>('/v2.1/os-keypairs/:name', async (req) => {
    const k = await keys().get(deps.requestContext(req), req.params.name, userOf(req));
    return {
      keypair: {
        ...base(req, k), user_id: k.userId, created_at: novaMicroTime(k.createdAt), updated_at: null, deleted: false, deleted_at: null,
      },
    };
  });

  app.post('/v2.1/os-keypairs', { schema: createBody }, async (req, reply) => {
    const raw = (req.body as { keypair: { name: string; public_key?: string; type?: 'ssh' | 'x509'; user_id?: string } }).keypair;
    if (raw.type !== undefined && !at(req, '2.2')) throw new BadRequest("Invalid input for field/attribute keypair. Additional properties are not allowed ('type' was unexpected)");
    if (raw.user_id !== undefined && !at(req, '2.10')) throw new BadRequest("Invalid input for field/attribute keypair. Additional properties are not allowed ('user_id' was unexpected)");
    const k = await keys().create(deps.requestContext(req), { name: raw.name, publicKey: raw.public_key, type: raw.type, userId: raw.user_id });
    const out: Record<string, unknown> = { ...base(req, k), user_id: k.userId };
    if (k.privateKey !== undefined) out.private_key = k.privateKey;
    return reply.code(at(req, '2.2') ? 201 : 200).send({ keypair: out });
  });

  app.delete<P>('/v2.1/os-keypairs/:name', async (req, reply) => {
    await keys().delete(deps.requestContext(req), req.params.name, userOf(req));
    return reply.code(at(req, '2.2') ? 204 : 202).send();
  });
}
