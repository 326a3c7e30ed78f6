import { registerAvailabilityZonesRoutes } from './availability-zones-routes.js';
import { registerFlavorAccessRoutes } from './flavor-access-routes.js';
import { registerFlavorExtraSpecsRoutes } from './flavor-extra-specs-routes.js';
import { registerFlavorsRoutes } from './flavors-routes.js';
import { registerHypervisorsRoutes } from './hypervisors-routes.js';
import { registerKeypairsRoutes } from './keypairs-routes.js';
import { registerLimitsRoutes } from './limits-routes.js';
import { registerQuotaSetsRoutes } from './quota-sets-routes.js';
import type { ComputeRouteModule } from './route-deps.js';
import { registerServerGroupsRoutes } from './server-groups-routes.js';
import { registerServicesRoutes } from './services-routes.js';
import { registerSimpleTenantUsageRoutes } from './simple-tenant-usage-routes.js';

/**
 * The route modules of the admin/compute-extras part (flavors, keypairs, quota-sets, limits,
 * hypervisors, services, availability zones, server groups, simple tenant usage). Their
 * services come from the container (`ADMIN_TOKENS`, bound by core's `adminApiModule`).
 */
export const ADMIN_ROUTE_MODULES: ComputeRouteModule[] = [
  registerFlavorsRoutes,
  registerFlavorAccessRoutes,
  registerFlavorExtraSpecsRoutes,
  registerKeypairsRoutes,
  registerQuotaSetsRoutes,
  registerLimitsRoutes,
  registerHypervisorsRoutes,
  registerServicesRoutes,
  registerAvailabilityZonesRoutes,
  registerServerGroupsRoutes,
  registerSimpleTenantUsageRoutes,
];
