import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startApiCloud, type ApiCloud } from './support/start-api-cloud.js';
import { call, issueToken, until } from './support/http-client.js';

describe('Compute v2.1 servers over HTTP', () => {
  let t: ApiCloud;
  let token: string;
  let imageId: string;
  let c: string;
  const server = (id: string) => call(`${c}/v2.1/servers/${id}`, { token });
  const settled = (id: string, status: string) => until(() => server(id), (r) => r.body?.server?.status === status);
  const act = (id: string, body: unknown) => call(`${c}/v2.1/servers/${id}/action`, { method: 'POST', token, body });
  const boot = async (name: string, extra: Record<string, unknown> = {}) => {
    const r = await call(`${c}/v2.1/servers`, { method: 'POST', token, body: { server: { name, flavorRef: '1', imageRef: imageId, ...extra } } });
    expect(r.status).toBe(202);
    return r.body.server.id as string;
  };

  beforeAll(async () => {
    t = await startApiCloud(2, { quotaDefaults: { instances: -1, cores: -1, ram: -1 } });
    c = t.api.endpoints.compute;
    token = (await issueToken(t.api.endpoints, 'admin', ADMIN_PASSWORD, 'admin')).token;
    const img = await call(`${t.api.endpoints.image}/v2/images`, { method: 'POST', token, body: { name: 'cirros', disk_format: 'raw', container_format: 'bare', visibility: 'public' } });
    imageId = img.body.id;
    await call(`${t.api.endpoints.image}/v2/images/${imageId}/file`, { method: 'PUT', token, raw: new Uint8Array(8192).fill(1), headers: { 'content-type': 'application/octet-stream' } });
  });
  afterAll(async () => { await t.stop(); });

  it('serves version documents and negotiates microversions', async () => {
    const root = await call(`${c}/`);
    expect(root.body.versions.map((v: { id: string }) => v.id)).toEqual(['v2.0', 'v2.1']);
    expect((await call(`${c}/v2.1/`)).body.version.id).toBe('v2.1');
    const v21 = await call(`${c}/v2.1`);
    expect(v21.body.version).toMatchObject({ id: 'v2.1', status: 'CURRENT', min_version: '2.1', version: '2.1' });
    const latest = await call(`${c}/v2.1/servers`, { token, headers: { 'openstack-api-version': 'compute latest' } });
    expect(latest.headers.get('openstack-api-version')).toBe('compute 2.1');
    expect(latest.headers.get('x-openstack-request-id')).toMatch(/^req-[0-9a-f-]{36}$/);
    expect(latest.headers.get('x-compute-request-id')).toBe(latest.headers.get('x-openstack-request-id'));
    const tooNew = await call(`${c}/v2.1/servers`, { token, headers: { 'x-openstack-nova-api-version': '2.999' } });
    expect(tooNew.status).toBe(406);
    const garbage = await call(`${c}/v2.1/servers`, { token, headers: { 'openstack-api-version': 'compute two' } });
    expect(garbage.status).toBe(400);
    expect(garbage.body.badRequest.code).toBe(400);
  });

  it('boots a server to ACTIVE with metadata, user data and an address, and shows it in Nova\'s shape', async () => {
    const id = await boot('web-1', { metadata: { role: 'web' }, user_data: Buffer.from('#!/bin/sh\necho hi').toString('base64'), networks: 'auto' });
    const r = await settled(id, 'ACTIVE');
    const s = r.body.server;
    expect(s).toMatchObject({ id, name: 'web-1', status: 'ACTIVE', metadata: { role: 'web' }, image: { id: imageId }, flavor: { id: '1' }, 'OS-EXT-STS:vm_state': 'active', 'OS-EXT-STS:power_state': 1 });
    expect(s.hostId).toMatch(/^[0-9a-f]{56}$/);
    expect(Object.values(s.addresses).flat()).toEqual([expect.objectContaining({ version: 4, addr: expect.stringMatching(/^10\.100\./) })]);
    expect(s['OS-EXT-SRV-ATTR:host']).toMatch(/^compute[12]$/);
    const ips = await call(`${c}/v2.1/servers/${id}/ips`, { token });
    expect(ips.body.addresses).toEqual(s.addresses);
    const label = Object.keys(s.addresses)[0]!;
    expect((await call(`${c}/v2.1/servers/${id}/ips/${label}`, { token })).body).toEqual({ [label]: s.addresses[label] });
    expect((await call(`${c}/v2.1/servers/${id}/ips/elsewhere`, { token })).status).toBe(404);
  });

  it('lists servers with filters and pages through them with a marker', async () => {
    const ids = [await boot('page-a'), await boot('page-b'), await boot('page-c')];
    await Promise.all(ids.map((id) => settled(id, 'ACTIVE')));
    const byName = await call(`${c}/v2.1/servers/detail?name=^page-`, { token });
    expect(byName.body.servers.map((s: { name: string }) => s.name).sort()).toEqual(['page-a', 'page-b', 'page-c']);
    const first = await call(`${c}/v2.1/servers?name=^page-&limit=2`, { token });
    expect(first.body.servers).toHaveLength(2);
    const next = new URL(first.body.servers_links[0].href);
    const second = await call(`${c}${next.pathname}${next.search}`, { token });
    expect(second.body.servers).toHaveLength(1);
    const all = [...first.body.servers, ...second.body.servers].map((s: { id: string }) => s.id).sort();
    expect(all).toEqual([...ids].sort());
    const shutoff = await call(`${c}/v2.1/servers?status=SHUTOFF&name=^page-`, { token });
    expect(shutoff.body.servers).toEqual([]);
    const badLimit = await call(`${c}/v2.1/servers?limit=-1`, { token });
    expect(badLimit.status).toBe(400);
  });

  it('stops, starts, reboots, pauses, suspends, resizes and rebuilds, recording each action', async () => {
    const id = await boot('ops');
    await settled(id, 'ACTIVE');
    expect((await act(id, { 'os-stop': null })).status).toBe(202);
    await settled(id, 'SHUTOFF');
    const again = await act(id, { 'os-stop': null });
    expect(again.status).toBe(409);
    expect(again.body.conflictingRequest.code).toBe(409);
    await act(id, { 'os-start': null });
    await settled(id, 'ACTIVE');
    expect((await act(id, { reboot: { type: 'HARD' } })).status).toBe(202);
    await settled(id, 'ACTIVE');
    await act(id, { pause: null });
    await settled(id, 'PAUSED');
    await act(id, { unpause: null });
    await settled(id, 'ACTIVE');
    await act(id, { suspend: null });
    await settled(id, 'SUSPENDED');
    await act(id, { resume: null });
    await settled(id, 'ACTIVE');
    expect((await act(id, { resize: { flavorRef: '2' } })).status).toBe(202);
    await settled(id, 'VERIFY_RESIZE');
    await act(id, { confirmResize: null });
    const resized = await settled(id, 'ACTIVE');
    expect(resized.body.server.flavor.id).toBe('2');
    const rebuilt = await act(id, { rebuild: { imageRef: imageId, name: 'ops-rebuilt' } });
    expect(rebuilt.status).toBe(202);
    expect(rebuilt.body.server.name).toBe('ops-rebuilt');
    await settled(id, 'ACTIVE');
    const actions = await call(`${c}/v2.1/servers/${id}/os-instance-actions`, { token });
    expect(actions.body.instanceActions.map((a: { action: string }) => a.action).reverse()).toEqual(
      ['create', 'stop', 'start', 'reboot', 'pause', 'unpause', 'suspend', 'resume', 'resize', 'confirm_resize', 'rebuild']);
    const one = await call(`${c}/v2.1/servers/${id}/os-instance-actions/${actions.body.instanceActions.at(-1).request_id}`, { token });
    expect(one.body.instanceAction.events.length).toBeGreaterThan(0);
  });

  it('snapshots a server into an image the image proxy shows with its server', async () => {
    const id = await boot('snap-src');
    await settled(id, 'ACTIVE');
    const r = await act(id, { createImage: { name: 'snap-1', metadata: { purpose: 'backup' } } });
    expect(r.status).toBe(202);
    const imageUrl = r.headers.get('location')!;
    const snapId = imageUrl.split('/').pop()!;
    const shown = await until(() => call(`${c}/v2.1/images/${snapId}`, { token }), (x) => x.body?.image?.status === 'ACTIVE');
    expect(shown.body.image).toMatchObject({ id: snapId, name: 'snap-1', status: 'ACTIVE', progress: 100, server: { id }, metadata: { instance_uuid: id, purpose: 'backup' } });
    const detail = await call(`${c}/v2.1/images/detail`, { token });
    const rows = detail.body.images.map((i: any) => [i.id, i.name, i.status, i.server?.id ?? '']);
    expect(rows).toEqual(expect.arrayContaining([[snapId, 'snap-1', 'ACTIVE', id], [imageId, 'cirros', 'ACTIVE', '']]));
    await settled(id, 'ACTIVE');
  });

  it('updates a server\'s name and manages its metadata', async () => {
    const id = await boot('meta');
    const renamed = await call(`${c}/v2.1/servers/${id}`, { method: 'PUT', token, body: { server: { name: 'meta-2' } } });
    expect(renamed.body.server.name).toBe('meta-2');
    const m = `${c}/v2.1/servers/${id}/metadata`;
    expect((await call(m, { method: 'PUT', token, body: { metadata: { a: '1', b: '2' } } })).body.metadata).toEqual({ a: '1', b: '2' });
    expect((await call(m, { method: 'POST', token, body: { metadata: { c: '3' } } })).body.metadata).toEqual({ a: '1', b: '2', c: '3' });
    expect((await call(`${m}/a`, { method: 'PUT', token, body: { meta: { a: 'x' } } })).body.meta).toEqual({ a: 'x' });
    expect((await call(`${m}/a`, { method: 'PUT', token, body: { meta: { z: 'x' } } })).status).toBe(400);
    expect((await call(`${m}/b`, { method: 'DELETE', token })).status).toBe(204);
    expect((await call(`${m}/b`, { token })).body.itemNotFound.code).toBe(404);
    expect((await call(m, { token })).body.metadata).toEqual({ a: 'x', c: '3' });
  });

  it('creates several servers with min/max count and deletes a server', async () => {
    const r = await call(`${c}/v2.1/servers`, { method: 'POST', token, body: { server: { name: 'many', flavorRef: '1', imageRef: imageId, min_count: 2, max_count: 3, return_reservation_id: true } } });
    expect(r.status).toBe(202);
    expect(r.body.reservation_id).toMatch(/^r-/);
    const many = await call(`${c}/v2.1/servers?name=^many-`, { token });
    expect(many.body.servers.map((s: { name: string }) => s.name).sort()).toEqual(['many-1', 'many-2', 'many-3']);
    const id = many.body.servers[0].id;
    await settled(id, 'ACTIVE');
    expect((await call(`${c}/v2.1/servers/${id}`, { method: 'DELETE', token })).status).toBe(204);
    await until(() => server(id), (x) => x.status === 404);
    expect((await server(id)).body.itemNotFound.message).toContain(id);
  });

  it('boots with networks "none" (no address) and with an explicit network list', async () => {
    const bare = await boot('no-net', { networks: 'none' });
    const shown = await settled(bare, 'ACTIVE');
    expect(shown.body.server.addresses).toEqual({});
    const withNet = await settled(await boot('auto-net'), 'ACTIVE');
    const label = Object.keys(withNet.body.server.addresses)[0]!;
    const networks = await t.cloud.container.get<{ getInstanceNetworkInfo(id: string): Promise<{ networkId: string }[]> }>(Symbol.for('nubo.NetworkService')).getInstanceNetworkInfo(withNet.body.server.id);
    const listed = await boot('listed-net', { networks: [{ uuid: networks[0]!.networkId }] });
    const r = await settled(listed, 'ACTIVE');
    expect(Object.keys(r.body.server.addresses)).toEqual([label]);
    const unknown = await call(`${c}/v2.1/servers`, { method: 'POST', token, body: { server: { name: 'x', flavorRef: '1', imageRef: imageId, networks: [{ uuid: 'no-such-network' }] } } });
    expect(unknown.status).toBe(400);
  });

  it('answers bad references with 400 and unknown servers with 404, in Nova\'s shape', async () => {
    const badFlavor = await call(`${c}/v2.1/servers`, { method: 'POST', token, body: { server: { name: 'x', flavorRef: '99', imageRef: imageId } } });
    expect(badFlavor.status).toBe(400);
    expect(badFlavor.body.badRequest.message).toMatch(/flavorRef/);
    const badKey = await call(`${c}/v2.1/servers`, { method: 'POST', token, body: { server: { name: 'x', flavorRef: '1', imageRef: imageId, key_name: 'nokey' } } });
    expect(badKey.status).toBe(400);
    const missing = await call(`${c}/v2.1/servers/00000000-0000-0000-0000-000000000000`, { token });
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ itemNotFound: { code: 404, message: expect.stringContaining('could not be found') } });
  });
});
