import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InstanceActionSchema, InstanceSchema, TOKENS, type QuotaEngine, type RequestContext } from '@nubo/core';
import { newProjectMember, startTestCloud, waitFor, type TestCloud } from './support/start-test-cloud.js';

describe('projects never see or touch each other’s servers', () => {
  let t: TestCloud;
  let alice: RequestContext;
  let bob: RequestContext;
  let aliceServer: string;

  beforeAll(async () => {
    t = await startTestCloud(1);
    alice = await newProjectMember(t.cloud, 'alpha');
    bob = await newProjectMember(t.cloud, 'bravo');
    const { servers } = await t.cloud.computeApi.createServers(alice, { name: 'secret', flavorRef: '1', imageRef: t.imageId });
    aliceServer = servers[0]!.instance.uuid;
    await waitFor(() => t.cloud.computeApi.getServer(alice, aliceServer), (v) => v.status === 'ACTIVE');
  });
  afterAll(async () => { await t.stop(); });

  it('another project gets 404 for show, update, delete, actions and metadata, and nothing changes', async () => {
    const attempts = [
      () => t.cloud.computeApi.getServer(bob, aliceServer),
      () => t.cloud.computeApi.updateServer(bob, aliceServer, { name: 'pwned' }),
      () => t.cloud.computeApi.deleteServer(bob, aliceServer),
      () => t.cloud.serverActions.stop(bob, aliceServer),
      () => t.cloud.serverActions.reboot(bob, aliceServer, 'HARD'),
      () => t.cloud.serverActions.createImage(bob, aliceServer, { name: 'steal' }),
      () => t.cloud.serverMetadata.list(bob, aliceServer),
      () => t.cloud.serverMetadata.set(bob, aliceServer, 'k', 'v'),
      () => t.cloud.instanceActions.list(bob, aliceServer),
    ];
    for (const attempt of attempts) await expect(attempt()).rejects.toMatchObject({ status: 404 });
    const v = await t.cloud.computeApi.getServer(alice, aliceServer);
    expect(v.instance.name).toBe('secret');
    expect(v.status).toBe('ACTIVE');
    expect(v.instance.metadata).toEqual({});
  });

  it('lists only the caller’s project; all_tenants is admin-only', async () => {
    expect((await t.cloud.computeApi.listServers(bob)).map((s) => s.instance.uuid)).toEqual([]);
    expect((await t.cloud.computeApi.listServers(alice)).map((s) => s.instance.uuid)).toEqual([aliceServer]);
    await expect(t.cloud.computeApi.listServers(bob, { allTenants: true })).rejects.toMatchObject({ status: 403 });
    expect((await t.cloud.computeApi.listServers(t.admin, { allTenants: true })).map((s) => s.instance.uuid)).toContain(aliceServer);
  });

  it('a token without a project scope cannot create servers', async () => {
    const unscoped = { ...bob, projectId: '', roles: [] };
    await expect(t.cloud.computeApi.createServers(unscoped, { name: 'x', flavorRef: '1', imageRef: t.imageId })).rejects.toMatchObject({ status: 403 });
  });

  it('another project’s private image cannot be booted', async () => {
    const img = await t.cloud.images.create(alice, { name: 'private', diskFormat: 'raw', containerFormat: 'bare', visibility: 'private' });
    await t.cloud.images.upload(alice, img.id, (async function* () { yield new Uint8Array(10); })());
    await expect(t.cloud.computeApi.createServers(bob, { name: 'x', flavorRef: '1', imageRef: img.id }))
      .rejects.toMatchObject({ status: 400, message: `Image ${img.id} could not be found.` });
  });
});

describe('bad input to create gets a clear 4xx and writes nothing', () => {
  let t: TestCloud;
  beforeAll(async () => { t = await startTestCloud(1); });
  afterAll(async () => { await t.stop(); });

  const counts = async () => ({
    instances: await t.cloud.database.repo(InstanceSchema).count(),
    actions: await t.cloud.database.repo(InstanceActionSchema).count(),
  });

  const cases: [string, (img: string) => Record<string, unknown>, number, RegExp][] = [
    ['missing name', (img) => ({ flavorRef: '1', imageRef: img }), 400, /name/],
    ['blank name', (img) => ({ name: '   ', flavorRef: '1', imageRef: img }), 400, /name/],
    ['huge name', (img) => ({ name: 'x'.repeat(100_000), flavorRef: '1', imageRef: img }), 400, /name/],
    ['name of the wrong type', (img) => ({ name: { evil: true }, flavorRef: '1', imageRef: img }), 400, /name/],
    ['unknown flavor', (img) => ({ name: 'a', flavorRef: '999', imageRef: img }), 400, /Invalid flavorRef/],
    ['flavor of the wrong type', (img) => ({ name: 'a', flavorRef: 1, imageRef: img }), 400, /Invalid flavorRef/],
    ['unknown image', () => ({ name: 'a', flavorRef: '1', imageRef: '00000000-0000-0000-0000-000000000000' }), 400, /could not be found/],
    ['missing image', () => ({ name: 'a', flavorRef: '1' }), 400, /imageRef/],
    ['unknown key', (img) => ({ name: 'a', flavorRef: '1', imageRef: img, keyName: 'nope' }), 400, /key_name/],
    ['user data not base64', (img) => ({ name: 'a', flavorRef: '1', imageRef: img, userData: '%%%not base64%%%' }), 400, /base 64/],
    ['user data too large', (img) => ({ name: 'a', flavorRef: '1', imageRef: img, userData: Buffer.alloc(70_000).toString('base64') }), 400, /too large/],
    ['metadata not an object', (img) => ({ name: 'a', flavorRef: '1', imageRef: img, metadata: ['x'] }), 400, /metadata/],
    ['metadata value not a string', (img) => ({ name: 'a', flavorRef: '1', imageRef: img, metadata: { k: 5 } }), 400, /metadata/],
    ['too many metadata items', (img) => ({ name: 'a', flavorRef: '1', imageRef: img, metadata: Object.fromEntries(Array.from({ length: 129 }, (_, i) => [`k${i}`, 'v'])) }), 403, /metadata_items/],
    ['unknown availability zone', (img) => ({ name: 'a', flavorRef: '1', imageRef: img, availabilityZone: 'atlantis' }), 400, /availability zone/],
    ['bad networks', (img) => ({ name: 'a', flavorRef: '1', imageRef: img, networks: { networkIds: [42] } }), 400, /networks/],
    ['unknown network', (img) => ({ name: 'a', flavorRef: '1', imageRef: img, networks: { networkIds: ['no-such-net'] } }), 400, /Network no-such-net/],
    ['negative count', (img) => ({ name: 'a', flavorRef: '1', imageRef: img, minCount: -1 }), 400, /min_count/],
    ['min above max', (img) => ({ name: 'a', flavorRef: '1', imageRef: img, minCount: 3, maxCount: 2 }), 400, /min_count/],
    ['over the instance quota', (img) => ({ name: 'a', flavorRef: '1', imageRef: img, minCount: 11 }), 403, /Quota exceeded for instances/],
    ['over the cores quota', (img) => ({ name: 'a', flavorRef: '5', imageRef: img, minCount: 3 }), 403, /Quota exceeded for (cores|ram)/],
  ];

  for (const [what, body, status, message] of cases) {
    it(`${what} → ${status}`, async () => {
      const before = await counts();
      const err = await t.cloud.computeApi.createServers(t.admin, body(t.imageId) as never).catch((e) => e);
      expect(err.status).toBe(status);
      expect(err.message).toMatch(message);
      expect(await counts()).toEqual(before);
    });
  }

  it('max_count above the quota boots as many as fit, at least min_count', async () => {
    await t.cloud.container.get<QuotaEngine>(TOKENS.QuotaEngine).setLimits(t.admin.projectId, { instances: 3 });
    const { servers } = await t.cloud.computeApi.createServers(t.admin, { name: 'fit', flavorRef: '1', imageRef: t.imageId, minCount: 1, maxCount: 5 });
    expect(servers).toHaveLength(3);
  });
});

describe('bad input to server actions and metadata gets a clear 4xx and changes nothing', () => {
  let t: TestCloud;
  let uuid: string;
  beforeAll(async () => {
    t = await startTestCloud(1);
    const { servers } = await t.cloud.computeApi.createServers(t.admin, { name: 'target', flavorRef: '1', imageRef: t.imageId, metadata: { a: '1' } });
    uuid = servers[0]!.instance.uuid;
    await waitFor(() => t.cloud.computeApi.getServer(t.admin, uuid), (v) => v.status === 'ACTIVE');
  });
  afterAll(async () => { await t.stop(); });

  const attempts: [string, () => Promise<unknown>, number][] = [
    ['reboot of an unknown type', () => t.cloud.serverActions.reboot(t.admin, uuid, 'GENTLE' as never), 400],
    ['resize to an unknown flavor', () => t.cloud.serverActions.resize(t.admin, uuid, 'nope'), 400],
    ['resize with a flavor of the wrong type', () => t.cloud.serverActions.resize(t.admin, uuid, 5 as never), 400],
    ['snapshot without a name', () => t.cloud.serverActions.createImage(t.admin, uuid, {} as never), 400],
    ['snapshot with bad metadata', () => t.cloud.serverActions.createImage(t.admin, uuid, { name: 's', metadata: { k: 1 } as never }), 400],
    ['rebuild from an unknown image', () => t.cloud.serverActions.rebuild(t.admin, uuid, { imageRef: 'missing' }), 400],
    ['confirm a resize that never happened', () => t.cloud.serverActions.confirmResize(t.admin, uuid), 409],
    ['action on an unknown server', () => t.cloud.serverActions.stop(t.admin, 'not-a-server'), 404],
    ['rename to blank', () => t.cloud.computeApi.updateServer(t.admin, uuid, { name: '' }), 400],
    ['metadata value too long', () => t.cloud.serverMetadata.set(t.admin, uuid, 'k', 'x'.repeat(256)), 400],
    ['metadata replace with a non-object', () => t.cloud.serverMetadata.replace(t.admin, uuid, 'x' as never), 400],
    ['delete a metadata key that is not there', () => t.cloud.serverMetadata.delete(t.admin, uuid, 'zzz'), 404],
    ['list with a broken name regex', () => t.cloud.computeApi.listServers(t.admin, { name: '(' }), 400],
    ['list with an unknown marker', () => t.cloud.computeApi.listServers(t.admin, { marker: 'nope' }), 400],
  ];

  for (const [what, attempt, status] of attempts) {
    it(`${what} → ${status}`, async () => {
      const before = await t.cloud.computeApi.getServer(t.admin, uuid).catch(() => null);
      const err = await attempt().then(() => null, (e) => e);
      expect(err?.status).toBe(status);
      const after = await t.cloud.computeApi.getServer(t.admin, uuid);
      expect(after.instance.name).toBe(before!.instance.name);
      expect(after.instance.metadata).toEqual({ a: '1' });
      expect(after.instance.taskState).toBeNull();
      expect(after.status).toBe('ACTIVE');
    });
  }
});
