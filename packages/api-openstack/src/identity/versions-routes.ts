import type { FastifyInstance } from 'fastify';
import type { IdentityRouteDeps } from './identity-deps.js';

const PUBLIC = { config: { public: true } };

function v3(base: string) {
  return {
    id: 'v3.14', status: 'stable', updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${base}/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}

/** `/` (300 Multiple Choices, like Keystone) and `/v3`. */
export function registerIdentityVersionsRoutes(app: FastifyInstance, deps: IdentityRouteDeps): void {
  app.get('/', PUBLIC, async (_req, reply) => reply.code(300).send({ versions: { values: [v3(deps.endpoints().identity)] } }));
  app.get('/v3', PUBLIC, async () => ({ version: v3(deps.endpoints().identity) }));
}
