import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startApiCloud, type ApiCloud } from './support/start-api-cloud.js';
import { call, issueToken } from './support/http-client.js';

describe('Image v2 over HTTP', () => {
  let t: ApiCloud;
  let token: string;
  let g: string;
  const octets = { 'content-type': 'application/octet-stream' };
  const patch = { 'content-type': 'application/openstack-images-v2.1-json-patch' };

  beforeAll(async () => {
    t = await startApiCloud(1);
    g = t.api.endpoints.image;
    token = (await issueToken(t.api.endpoints, 'admin', ADMIN_PASSWORD, 'admin')).token;
  });
  afterAll(async () => { await t.stop(); });

  it('answers the version list with 300 at / and without a token', async () => {
    const r = await call(`${g}/`);
    expect(r.status).toBe(300);
    expect(r.body.versions[0]).toMatchObject({ id: 'v2.0', status: 'CURRENT' });
  });

  it('creates an image, streams its data in, and gives the same bytes back with their MD5', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024 + 17, 0x5a);
    const created = await call(`${g}/v2/images`, { method: 'POST', token, body: { name: 'blob', disk_format: 'raw', container_format: 'bare', 'owner_specified.openstack.md5': 'x' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'blob', status: 'queued', visibility: 'shared', 'owner_specified.openstack.md5': 'x', file: `/v2/images/${created.body.id}/file` });
    const id = created.body.id;
    const put = await call(`${g}/v2/images/${id}/file`, { method: 'PUT', token, raw: data, headers: octets });
    expect(put.status).toBe(204);
    const shown = await call(`${g}/v2/images/${id}`, { token });
    const md5 = createHash('md5').update(data).digest('hex');
    expect(shown.body).toMatchObject({ status: 'active', size: data.length, checksum: md5, os_hash_algo: 'sha512' });
    const res = await fetch(`${g}/v2/images/${id}/file`, { headers: { 'x-auth-token': token } });
    expect(res.headers.get('content-md5')).toBe(md5);
    expect(Buffer.from(await res.arrayBuffer()).equals(data)).toBe(true);
    const progress = t.logs.filter((l) => l.msg === 'image upload progress' && l.image === id);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)!.bytes).toBe(data.length);
  });

  it('updates an image with a JSON patch: name, visibility, properties and tags', async () => {
    const { body: img } = await call(`${g}/v2/images`, { method: 'POST', token, body: { name: 'p', tags: ['a'] } });
    const r = await call(`${g}/v2/images/${img.id}`, {
      method: 'PATCH', token, headers: patch,
      raw: JSON.stringify([{ op: 'replace', path: '/name', value: 'p2' }, { op: 'add', path: '/os_distro', value: 'cirros' }, { op: 'add', path: '/tags/-', value: 'b' }, { op: 'replace', path: '/visibility', value: 'private' }]),
    });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ name: 'p2', os_distro: 'cirros', tags: ['a', 'b'], visibility: 'private' });
    const ro = await call(`${g}/v2/images/${img.id}`, { method: 'PATCH', token, headers: patch, raw: JSON.stringify([{ op: 'replace', path: '/status', value: 'active' }]) });
    expect(ro.status).toBe(403);
  });

  it('lists with filters and pages with next links', async () => {
    for (const n of ['l1', 'l2', 'l3']) await call(`${g}/v2/images`, { method: 'POST', token, body: { name: n, tags: ['list'] } });
    const named = await call(`${g}/v2/images?name=l2`, { token });
    expect(named.body.images.map((i: { name: string }) => i.name)).toEqual(['l2']);
    const seen: string[] = [];
    let url = `/v2/images?limit=2`;
    for (let pages = 0; url && pages < 10; pages++) {
      const page = await call(`${g}${url}`, { token });
      expect(page.body.images.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.images.map((i: { id: string }) => i.id));
      url = page.body.next;
    }
    const all = await call(`${g}/v2/images`, { token });
    expect(new Set(seen)).toEqual(new Set(all.body.images.map((i: { id: string }) => i.id)));
  });

  it('shares an image with another project through members, and deletes it', async () => {
    const { body: img } = await call(`${g}/v2/images`, { method: 'POST', token, body: { name: 'shared-one', visibility: 'shared' } });
    const add = await call(`${g}/v2/images/${img.id}/members`, { method: 'POST', token, body: { member: 'project-b' } });
    expect(add.body).toMatchObject({ image_id: img.id, member_id: 'project-b', status: 'accepted' });
    const members = await call(`${g}/v2/images/${img.id}/members`, { token });
    expect(members.body.members.map((m: { member_id: string }) => m.member_id)).toEqual(['project-b']);
    expect((await call(`${g}/v2/images/${img.id}/members/project-b`, { method: 'DELETE', token })).status).toBe(204);
    expect((await call(`${g}/v2/images/${img.id}`, { method: 'DELETE', token })).status).toBe(204);
    expect((await call(`${g}/v2/images/${img.id}`, { token })).status).toBe(404);
  });
});
