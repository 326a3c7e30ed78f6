import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ADMIN_TOKENS, BadRequest, NotFound, NotImplementedByDriver, type HostAdminService, type HypervisorInfo } from '@nubo/core';
import { queryFlag, queryInt, queryOf } from '../http/query-params.js';
import type { ComputeRouteDeps } from './route-deps.js';

type P = { Params: { id: string } };

/** os-hypervisors: list, detail, show, statistics, and the pre-2.53 search and servers paths. Admin only. */
export function registerHypervisorsRoutes(app: FastifyInstance, deps: ComputeRouteDeps): void {
  const hosts = () => deps.cloud.container.get<HostAdminService>(ADMIN_TOKENS.HostAdmin);
  const at = (req: FastifyRequest, v: string) => deps.isMicroversionAtLeast(req, v);

  const json = (req: FastifyRequest, h: HypervisorInfo, detail: boolean): Record<string, unknown> => {
    const uuids = at(req, '2.53');
    const out: Record<string, unknown> = {
      id: uuids ? h.uuid : h.id, hypervisor_hostname: h.hypervisorHostname, state: h.state, status: h.status,
    };
    if (detail) {
      Object.assign(out, {
        hypervisor_type: h.hypervisorType, hypervisor_version: h.hypervisorVersion, host_ip: h.hostIp,
        service: { id: uuids ? h.service.uuid : h.service.id, host: h.service.host, disabled_reason: h.service.disabledReason },
      });
      if (!at(req, '2.88')) {
        Object.assign(out, {
          vcpus: h.vcpus, memory_mb: h.memoryMb, local_gb: h.localGb, vcpus_used: h.vcpusUsed, memory_mb_used: h.memoryMbUsed,
          local_gb_used: h.localGbUsed, free_ram_mb: h.freeRamMb, free_disk_gb: h.freeDiskGb, current_workload: h.currentWorkload,
          running_vms: h.runningVms, disk_available_least: h.diskAvailableLeast,
          cpu_info: at(req, '2.28') ? parseCpuInfo(h.cpuInfo) : h.cpuInfo,
        });
      } else {
        out.uptime = null;
      }
    }
    if (h.servers !== undefined && (h.servers.length > 0 || at(req, '2.75'))) out.servers = h.servers;
    return out;
  };

  const list = async (req: FastifyRequest, detail: boolean) => {
    const q = queryOf(req);
    const modern = at(req, '2.53');
    const paged = at(req, '2.33');
    const limit = paged ? queryInt(q, 'limit') : undefined;
    const marker = paged ? q.marker : undefined;
    // Before 2.53 the pattern and with_servers are unknown query parameters, ignored as Nova does.
    const pattern = modern ? q.hypervisor_hostname_pattern : undefined;
    if (pattern !== undefined && (limit !== undefined || marker !== undefined)) {
      throw new BadRequest('Paging over hypervisors with the hypervisor_hostname_pattern query parameter is not supported.');
    }
    const all = await hosts().listHypervisors(deps.requestContext(req), {
      detail, hostnamePattern: pattern, withServers: modern && queryFlag(q, 'with_servers'), limit, marker,
    });
    const out: Record<string, unknown> = { hypervisors: all.map((h) => json(req, h, detail)) };
    if (limit !== undefined && limit > 0 && all.length === limit) {
      const last = all[all.length - 1]!;
      out.hypervisors_links = [{ rel: 'next', href: `${deps.publicUrl()}/v2.1/os-hypervisors${detail ? '/detail' : ''}?limit=${limit}&marker=${modern ? last.uuid : last.id}` }];
    }
    return out;
  };

  app.get('/v2.1/os-hypervisors', (req) => list(req, false));
  app.get('/v2.1/os-hypervisors/detail', (req) => list(req, true));

  app.get('/v2.1/os-hypervisors/statistics', async (req) => {
    if (at(req, '2.88')) throw new NotFound('The resource could not be found.');
    const s = await hosts().statistics(deps.requestContext(req));
    return {
      hypervisor_statistics: {
        count: s.count, vcpus: s.vcpus, memory_mb: s.memoryMb, local_gb: s.localGb, vcpus_used: s.vcpusUsed,
        memory_mb_used: s.memoryMbUsed, local_gb_used: s.localGbUsed, free_ram_mb: s.freeRamMb, free_disk_gb: s.freeDiskGb,
        current_workload: s.currentWorkload, running_vms: s.runningVms, disk_available_least: s.diskAvailableLeast,
      },
    };
  });

  app.get<P>('/v2.1/os-hypervisors/:id', async (req) => {
    const q = queryOf(req);
    if (at(req, '2.53') && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(req.params.id)) {
      throw new BadRequest(`Invalid uuid ${req.params.id}`);
    }
    const h = await hosts().getHypervisor(deps.requestContext(req), req.params.id, { withServers: at(req, '2.53') && queryFlag(q, 'with_servers') });
    return { hypervisor: json(req, h, true) };
  });

  app.get<P>('/v2.1/os-hypervisors/:id/uptime', async (req) => {
    if (at(req, '2.88')) throw new NotFound('The resource could not be found.');
    await hosts().getHypervisor(deps.requestContext(req), req.params.id);
    throw new NotImplementedByDriver('Virt driver does not implement host uptime function.');
  });

  // Before 2.53: GET /os-hypervisors/{pattern}/search and /{pattern}/servers.
  const legacy = (withServers: boolean) => async (req: FastifyRequest<P>) => {
    if (at(req, '2.53')) throw new NotFound('The resource could not be found.');
    const found = await hosts().listHypervisors(deps.requestContext(req), { hostnamePattern: req.params.id, withServers });
    return { hypervisors: found.map((h) => json(req, h, false)) };
  };
  app.get<P>('/v2.1/os-hypervisors/:id/search', legacy(false));
  app.get<P>('/v2.1/os-hypervisors/:id/servers', legacy(true));
}

function parseCpuInfo(text: string): unknown {
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return {};
  }
}
