import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCHEMAS, ComputeNodeSchema, QuotaLockSchema, ServiceSchema } from '@nubo/core';
import { routesOf, type RouteEntry } from '../src/index.js';
import { ADMIN_PASSWORD, startApiCloud, type ApiCloud } from './support/start-api-cloud.js';
import { call, issueToken, until } from './support/http-client.js';

// Malformed and hostile input to every route of the three APIs, as the admin (who may write
// the most): the answer is never a 5xx, and the database is exactly as it was.
const deep = (n: number, open: string, close: string) => open.repeat(n) + close.repeat(n);
const deepObject = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

const RAW_BODIES: [string, string][] = [
  ['broken JSON', '{"server": {'],
  ['null', 'null'],
  ['empty array', '[]'],
  ['string', '"hello"'],
  ['number', '-12345'],
  ['unknown field', '{"unknown_field": {"nested": true}}'],
  ['deep arrays', deep(5000, '[', ']')],
  ['deep objects', deepObject(3000)],
  ['prototype pollution', '{"__proto__": {"isAdmin": true}, "constructor": {"prototype": {"x": 1}}}'],
  ['huge string', JSON.stringify({ x: 'A'.repeat(300_000) })],
  ['binary garbage', '\u0000\u0001\u00ff{'],
];

const WRAPPERS = ['server', 'metadata', 'meta', 'auth', 'project', 'user', 'role', 'flavor', 'keypair', 'quota_set', 'server_group',
  'member', 'status', 'reboot', 'resize', 'createImage', 'rebuild', 'os-stop', 'extra_specs', 'addTenantAccess', 'forced_down', 'name'];
const BAD_VALUES: unknown[] = [-1, 'x'.repeat(20_000), [[[]]], { '': { '': -1 } }, true];

/** Shape-specific hostile bodies: negative sizes, wrong types inside otherwise valid bodies. */
const TARGETED: unknown[] = [
  { server: { name: 'x', flavorRef: '1', min_count: -1 } },
  { server: { name: 'x', flavorRef: '1', max_count: 100000 } },
  { server: { name: 'x'.repeat(256), flavorRef: '1' } },
  { server: { name: 'x', flavorRef: '1', metadata: { k: { nested: 1 } } } },
  { server: { name: 'x', flavorRef: '1', networks: 'everything' } },
  { server: { name: 'x', flavorRef: '1', user_data: '%%%not-base64%%%' } },
  { flavor: { name: 'f', ram: -512, vcpus: 1, disk: 1 } },
  { flavor: { name: 'f', ram: 512, vcpus: -1, disk: -1 } },
  { quota_set: { instances: -5, cores: 'many' } },
  { keypair: { name: '../../etc/passwd', public_key: 'ssh-rsa AAAA' } },
  { name: 'img', min_disk: -1, min_ram: -1 },
  { resize: { flavorRef: -1 } },
  { reboot: { type: 'GENTLE' } },
  [{ op: 'replace', path: '/min_disk', value: -1 }],
  [{ op: 'move', path: '/name', from: '/id' }],
  { auth: { identity: { methods: ['password'], password: { user: { name: 'admin', password: 12 } } } } },
  { project: { name: '' } },
  { user: { name: 'u', password: ['x'] } },
];

const HOSTILE_IDS = ['%00', '..%2F..%2Fetc%2Fpasswd', "1'%20OR%20'1'%3D'1", 'x'.repeat(1500), '-1'];
const HOSTILE_QUERIES = ['limit=-1', 'limit=abc', 'limit=99999999999999', 'marker=' + 'z'.repeat(5000), 'changes-since=yesterday', 'name=(', 'sort_dir=sideways', 'all_tenants=1&project_id=%00', 'status=' + 'Q'.repeat(300), 'visibility=everyone'];

describe('hostile and malformed input to every route', { timeout: 300_000 }, () => {
  let t: ApiCloud;
  let token: string;
  let ids: Record<string, string>;
  const base = (api: keyof ApiCloud['api']['endpoints']) => t.api.endpoints[api];

  /** Every row of every table except the heartbeats of running services. */
  async function snapshot(): Promise<string> {
    const skip = new Set<unknown>([ComputeNodeSchema, ServiceSchema, QuotaLockSchema]);
    const out: Record<string, unknown> = {};
    for (const schema of ALL_SCHEMAS) {
      if (skip.has(schema)) continue;
      const rows = await t.cloud.database.repo(schema as never).find();
      out[String((schema as { options: { name: string } }).options.name)] = rows.map((r) => JSON.stringify(r)).sort();
    }
    return JSON.stringify(out);
  }

  function realId(segment: string | undefined): string {
    return ids[segment ?? ''] ?? 'fuzz';
  }

  /** A route's URL with its parameters filled from `value(precedingSegment)`. */
  function fill(url: string, value: (segment: string | undefined) => string): string {
    const parts = url.split('/');
    return parts.map((p, i) => (p.startsWith(':') ? value(parts[i - 1]) : p)).join('/');
  }

  function allRoutes(): [keyof ApiCloud['api']['endpoints'], RouteEntry][] {
    return (['identity', 'compute', 'image'] as const).flatMap((api) => routesOf(t.api.apps[api]).map((r) => [api, r] as [typeof api, RouteEntry]));
  }

  beforeAll(async () => {
    t = await startApiCloud(1);
    token = (await issueToken(t.api.endpoints, 'admin', ADMIN_PASSWORD, 'admin')).token;
    const img = await call(`${base('image')}/v2/images`, { method: 'POST', token, body: { name: 'fuzz-img', disk_format: 'raw', container_format: 'bare', visibility: 'public' } });
    await call(`${base('image')}/v2/images/${img.body.id}/file`, { method: 'PUT', token, raw: new Uint8Array(512), headers: { 'content-type': 'application/octet-stream' } });
    const srv = await call(`${base('compute')}/v2.1/servers`, { method: 'POST', token, body: { server: { name: 'fuzz-vm', flavorRef: '1', imageRef: img.body.id, metadata: { k: 'v' } } } });
    await until(() => call(`${base('compute')}/v2.1/servers/${srv.body.server.id}`, { token }), (r) => r.body?.server?.status === 'ACTIVE');
    await call(`${base('compute')}/v2.1/os-keypairs`, { method: 'POST', token, body: { keypair: { name: 'fuzz-key' } } });
    const actions = await call(`${base('compute')}/v2.1/servers/${srv.body.server.id}/os-instance-actions`, { token });
    const b = t.cloud.bootstrapResult!;
    ids = {
      servers: srv.body.server.id, images: img.body.id, projects: b.projectId, users: b.userId, roles: b.roleIds.member,
      flavors: '1', 'os-keypairs': 'fuzz-key', 'os-instance-actions': actions.body.instanceActions[0].request_id, metadata: 'k',
      'os-quota-sets': b.projectId, 'os-simple-tenant-usage': b.projectId, domains: 'default', 'os-extra_specs': 'k', members: 'nobody',
    };
  });
  afterAll(async () => { await t?.stop(); });

  it('answers malformed and hostile bodies on every write route with a 4xx and writes nothing', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    let sent = 0;
    const writeRoutes = allRoutes().filter(([, r]) => ['POST', 'PUT', 'PATCH'].includes(r.method) && r.hasBody);
    expect(writeRoutes.length).toBeGreaterThan(20);
    for (const [api, route] of writeRoutes) {
      const url = `${base(api)}${fill(route.url, realId)}`;
      const bodies: string[] = [
        ...RAW_BODIES.map(([, b]) => b),
        ...WRAPPERS.flatMap((k) => BAD_VALUES.map((v) => JSON.stringify({ [k]: v }))),
        ...TARGETED.map((b) => JSON.stringify(b)),
      ];
      for (const raw of bodies) {
        for (const type of route.url.startsWith('/v2/images/:id') && route.method === 'PATCH' ? ['application/openstack-images-v2.1-json-patch'] : ['application/json']) {
          const r = await call(url, { method: route.method, token, raw, headers: { 'content-type': type } });
          sent++;
          const emptyPatch = route.method === 'PATCH' && raw === '[]' && r.status === 200; // a valid no-op JSON patch
          if (!emptyPatch && (r.status < 400 || r.status >= 500)) failures.push(`${route.method} ${route.url} ${raw.slice(0, 60)} -> ${r.status} ${r.text.slice(0, 120)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(1000);
    expect(await snapshot()).toBe(before);
  });

  it('answers hostile ids and query strings on every route without a 5xx and writes nothing', async () => {
    const before = await snapshot();
    const failures: string[] = [];
    for (const [api, route] of allRoutes()) {
      // Routes that take no body (grants, deletes) are exercised here, with hostile ids only.
      const attempts: string[] = HOSTILE_IDS.map((bad) => fill(route.url, () => bad)).filter((u) => u !== route.url);
      if (route.method === 'GET') attempts.push(...HOSTILE_QUERIES.map((q) => `${fill(route.url, realId)}?${q}`));
      for (const path of attempts) {
        const r = await call(`${base(api)}${path}`, { method: route.method, token, headers: route.method === 'GET' || route.method === 'DELETE' || route.method === 'HEAD' ? {} : { 'content-type': 'application/json' }, raw: ['POST', 'PUT', 'PATCH'].includes(route.method) ? '{}' : undefined });
        if (r.status >= 500) failures.push(`${route.method} ${path.slice(0, 100)} -> ${r.status} ${r.text.slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(await snapshot()).toBe(before);
  });

  it('refuses an oversized compute body with 413 and an unsupported media type with 415', async () => {
    const big = await call(`${base('compute')}/v2.1/servers`, { method: 'POST', token, raw: JSON.stringify({ server: { name: 'x'.repeat(200_000) } }), headers: { 'content-type': 'application/json' } });
    expect(big.status).toBe(413);
    expect(big.body.overLimit.code).toBe(413);
    const xml = await call(`${base('compute')}/v2.1/servers`, { method: 'POST', token, raw: '<server/>', headers: { 'content-type': 'application/xml' } });
    expect(xml.status).toBe(415);
  });
});
