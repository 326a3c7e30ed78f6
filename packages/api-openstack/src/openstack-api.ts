import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { ADMIN_TOKENS, adminApiModule, TOKENS, type Cloud, type Logger } from '@nubo/core';
import { createComputeApp } from './compute/compute-app.js';
import type { ApiEndpoints } from './endpoints.js';
import { createIdentityApp } from './identity/identity-app.js';
import { createImageApp } from './image/image-app.js';

export interface OpenStackApiOptions {
  /** Address to listen on. Default `127.0.0.1`. */
  host?: string;
  /** Ports; 0 picks a free one (tests). Default 5000, 8774, 9292. */
  ports?: Partial<Record<keyof ApiEndpoints, number>>;
  /** Base URLs to advertise (catalog, links) when clients reach the APIs through another address. */
  publicUrls?: Partial<ApiEndpoints>;
  logger?: Logger;
}

/** The three APIs, listening. */
export interface OpenStackApi {
  /** Where each API is reached (as the catalog names them). */
  endpoints: ApiEndpoints;
  apps: Record<keyof ApiEndpoints, FastifyInstance>;
  /** Stops accepting connections and waits for in-flight requests. Does not stop the cloud. */
  close(): Promise<void>;
}

const DEFAULT_PORTS: Record<keyof ApiEndpoints, number> = { identity: 5000, compute: 8774, image: 9292 };

/**
 * Serves Identity v3, Compute v2.1 and Image v2 for a running cloud. Each listens first, so the
 * service catalog names the real URLs (also when a port was chosen by the system).
 */
export async function startOpenStackApi(cloud: Cloud, options: OpenStackApiOptions = {}): Promise<OpenStackApi> {
  const host = options.host ?? '127.0.0.1';
  const logger = (options.logger ?? cloud.container.get<Logger>(TOKENS.Logger)).child({ component: 'api-openstack' });
  // The compute API's admin/extras routes need their services; a cloud started without them gets them here.
  if (!cloud.container.isBound(ADMIN_TOKENS.Flavors)) await cloud.container.load(adminApiModule);
  const endpoints: ApiEndpoints = { identity: '', compute: '', image: '' };
  const get = () => endpoints;
  const apps: Record<keyof ApiEndpoints, FastifyInstance> = {
    identity: createIdentityApp({ cloud, logger, endpoints: get }),
    compute: createComputeApp({ cloud, logger, publicUrl: () => endpoints.compute, imageUrl: () => endpoints.image, identityUrl: () => endpoints.identity }),
    image: createImageApp({ cloud, logger, publicUrl: () => endpoints.image, identityUrl: () => endpoints.identity }),
  };
  const started: FastifyInstance[] = [];
  try {
    for (const name of ['identity', 'compute', 'image'] as const) {
      await apps[name].listen({ host, port: options.ports?.[name] ?? DEFAULT_PORTS[name] });
      started.push(apps[name]);
      const port = (apps[name].server.address() as AddressInfo).port;
      const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
      endpoints[name] = options.publicUrls?.[name] ?? `http://${shownHost}:${port}`;
    }
  } catch (err) {
    await Promise.all(started.map((a) => a.close()));
    throw err;
  }
  logger.info('openstack api listening', { ...endpoints });
  return {
    endpoints,
    apps,
    async close() {
      await Promise.all(Object.values(apps).map((a) => a.close()));
    },
  };
}
