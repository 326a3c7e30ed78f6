import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ADMIN_TOKENS, BadRequest, type TenantUsage, type UsagePeriod, type UsageService } from '@nubo/core';
import { queryOf } from '../http/query-params.js';
import { novaMicroTime } from './nova-time.js';
import type { ComputeRouteDeps } from './route-deps.js';

type P = { Params: { id: string } };

/** Nova's accepted forms: `%Y-%m-%dT%H:%M:%S`, with `.%f`, or `%Y-%m-%d %H:%M:%S.%f`; always UTC. */
const NOVA_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(\.\d{1,6})?$/;

function parseNovaTime(v: string | undefined): Date | undefined {
  if (v === undefined || v === '') return undefined;
  const m = NOVA_TIME.exec(v);
  const d = m ? new Date(`${m[1]}T${m[2]}${m[3] ? m[3].slice(0, 4) : ''}Z`) : null;
  if (!d || Number.isNaN(d.getTime())) throw new BadRequest('Invalid input received: Datetime is in invalid format');
  return d;
}

function usageJson(u: TenantUsage): Record<string, unknown> {
  const out: Record<string, unknown> = {
    tenant_id: u.tenantId, start: novaMicroTime(u.start), stop: novaMicroTime(u.stop), total_hours: u.totalHours,
    total_vcpus_usage: u.totalVcpusUsage, total_memory_mb_usage: u.totalMemoryMbUsage, total_local_gb_usage: u.totalLocalGbUsage,
  };
  if (u.serverUsages) {
    out.server_usages = u.serverUsages.map((s) => ({
      instance_id: s.instanceId, name: s.name, tenant_id: s.tenantId, flavor: s.flavor, hours: s.hours, memory_mb: s.memoryMb,
      local_gb: s.localGb, vcpus: s.vcpus, started_at: novaMicroTime(s.startedAt), ended_at: novaMicroTime(s.endedAt),
      state: s.state, uptime: s.uptime,
    }));
  }
  return out;
}

/** os-simple-tenant-usage: every project's usage over a period (admin) or one project's (its members). */
export function registerSimpleTenantUsageRoutes(app: FastifyInstance, deps: ComputeRouteDeps): void {
  const usage = () => deps.cloud.container.get<UsageService>(ADMIN_TOKENS.Usage);
  const period = (req: FastifyRequest): UsagePeriod => {
    const q = queryOf(req);
    return { start: parseNovaTime(q.start), end: parseNovaTime(q.end), detailed: q.detailed === '1' };
  };

  app.get('/v2.1/os-simple-tenant-usage', async (req) =>
    ({ tenant_usages: (await usage().list(deps.requestContext(req), period(req))).map(usageJson) }));

  app.get<P>('/v2.1/os-simple-tenant-usage/:id', async (req) => {
    const u = await usage().show(deps.requestContext(req), req.params.id, period(req));
    return { tenant_usage: u ? usageJson(u) : {} };
  });
}
