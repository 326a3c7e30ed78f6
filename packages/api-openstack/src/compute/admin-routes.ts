import type { ComputeRouteModule } from './route-deps.js';

/**
 * The route modules of the admin/compute-extras part (flavors, keypairs, quota-sets, limits,
 * hypervisors, services, availability zones, server groups, simple tenant usage). Their
 * author appends each module here once it exists, e.g.
 * `import { registerFlavorsRoutes } from './flavors-routes.js';` and `registerFlavorsRoutes,`.
 */
export const ADMIN_ROUTE_MODULES: ComputeRouteModule[] = [];
