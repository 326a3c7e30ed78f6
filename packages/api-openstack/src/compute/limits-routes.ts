import type { FastifyInstance } from 'fastify';
import { ADMIN_TOKENS, type AbsoluteLimits, type LimitsService } from '@nubo/core';
import { queryOf } from '../http/query-params.js';
import type { ComputeRouteDeps } from './route-deps.js';

/** What leaves the absolute limits at which microversion (Nova's FILTERED_LIMITS_2_36/2_57 and 2.39's image meta). */
const GONE: [string, (keyof AbsoluteLimits)[]][] = [
  ['2.36', ['maxTotalFloatingIps', 'totalFloatingIpsUsed']],
  ['2.39', ['maxImageMeta']],
  ['2.57', ['maxPersonality', 'maxPersonalitySize']],
];

/** GET /limits: absolute limits and usage of the caller's project (`?tenant_id=` for an admin). */
export function registerLimitsRoutes(app: FastifyInstance, deps: ComputeRouteDeps): void {
  const limits = () => deps.cloud.container.get<LimitsService>(ADMIN_TOKENS.Limits);
  app.get('/v2.1/limits', async (req) => {
    const q = queryOf(req);
    const l = await limits().absolute(deps.requestContext(req), q.tenant_id);
    const { totalKeyPairsUsed: _own, ...nova } = l;
    const absolute: Record<string, number> = { ...nova };
    for (const [version, keys] of GONE) {
      if (deps.isMicroversionAtLeast(req, version)) for (const k of keys) delete absolute[k];
    }
    return { limits: { rate: [], absolute } };
  });
}
