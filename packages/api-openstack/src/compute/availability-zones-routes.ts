import type { FastifyInstance } from 'fastify';
import { ADMIN_TOKENS, type AvailabilityZoneInfo, type AvailabilityZoneService } from '@nubo/core';
import { novaMicroTime } from './nova-time.js';
import type { ComputeRouteDeps } from './route-deps.js';

function zoneJson(z: AvailabilityZoneInfo) {
  const hosts = z.hosts === null ? null : Object.fromEntries(Object.entries(z.hosts).map(([host, services]) => [
    host, Object.fromEntries(Object.entries(services).map(([binary, s]) => [binary, { available: s.available, active: s.active, updated_at: novaMicroTime(s.updatedAt) }])),
  ]));
  return { zoneName: z.zoneName, zoneState: { available: z.available }, hosts };
}

/** os-availability-zone (anyone) and os-availability-zone/detail (admin, with hosts and services). */
export function registerAvailabilityZonesRoutes(app: FastifyInstance, deps: ComputeRouteDeps): void {
  const zones = () => deps.cloud.container.get<AvailabilityZoneService>(ADMIN_TOKENS.AvailabilityZones);
  app.get('/v2.1/os-availability-zone', async (req) => ({ availabilityZoneInfo: (await zones().list(deps.requestContext(req))).map(zoneJson) }));
  app.get('/v2.1/os-availability-zone/detail', async (req) => ({ availabilityZoneInfo: (await zones().detail(deps.requestContext(req))).map(zoneJson) }));
}
