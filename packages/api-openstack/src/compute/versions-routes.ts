import type { FastifyInstance } from 'fastify';
import { formatVersion, MAX_MICROVERSION, MIN_MICROVERSION } from './microversion.js';
import type { ComputeRouteDeps } from './route-deps.js';

const PUBLIC = { config: { public: true } };

function v21(base: string) {
  return {
    id: 'v2.1', status: 'CURRENT', version: formatVersion(MAX_MICROVERSION), min_version: formatVersion(MIN_MICROVERSION),
    updated: '2013-07-23T11:33:21Z', links: [{ rel: 'self', href: `${base}/v2.1/` }],
  };
}

function v20(base: string) {
  return { id: 'v2.0', status: 'SUPPORTED', version: '', min_version: '', updated: '2011-01-21T11:33:21Z', links: [{ rel: 'self', href: `${base}/v2/` }] };
}

const describedBy = { rel: 'describedby', type: 'text/html', href: 'http://docs.openstack.org/' };

/** The version documents: `/` lists v2.0 and v2.1, `/v2.1` and `/v2` describe one each. No token needed. */
export function registerVersionsRoutes(app: FastifyInstance, deps: ComputeRouteDeps): void {
  app.get('/', PUBLIC, async () => ({ versions: [v20(deps.publicUrl()), v21(deps.publicUrl())] }));
  app.get('/v2.1', PUBLIC, async () => {
    const v = v21(deps.publicUrl());
    return { version: { ...v, links: [...v.links, describedBy], 'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2.1' }] } };
  });
  app.get('/v2', PUBLIC, async () => {
    const v = v20(deps.publicUrl());
    return { version: { ...v, links: [...v.links, describedBy], 'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.compute+json;version=2' }] } };
  });
}
