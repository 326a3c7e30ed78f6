import { registerImagesProxyRoutes } from './images-proxy-routes.js';
import { registerInstanceActionsRoutes } from './instance-actions-routes.js';
import type { ComputeRouteModule } from './route-deps.js';
import { registerServerActionsRoutes } from './server-actions-routes.js';
import { registerServerIpsRoutes } from './server-ips-routes.js';
import { registerServerMetadataRoutes } from './server-metadata-routes.js';
import { registerServersRoutes } from './servers-routes.js';
import { registerVersionsRoutes } from './versions-routes.js';

/** The compute route modules of this package (the admin part's are in `admin-routes.ts`). */
export const COMPUTE_ROUTE_MODULES: ComputeRouteModule[] = [
  registerVersionsRoutes,
  registerServersRoutes,
  registerServerActionsRoutes,
  registerServerMetadataRoutes,
  registerServerIpsRoutes,
  registerInstanceActionsRoutes,
  registerImagesProxyRoutes,
];
