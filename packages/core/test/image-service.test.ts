import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BadRequest, Conflict, Forbidden, NotFound, QuotaExceeded, type RequestContext } from '@nubo/core';
import { Database, ImageSchema } from '../src/persistence/index.js';
import { RulePolicyEngine } from '../src/policy/index.js';
import { BuiltinImageService } from '../src/services/image/index.js';

let dir: string;
let dataDir: string;
let db: Database;
let clock: number;
let images: BuiltinImageService;

const ctx = (projectId: string, roles = ['member', 'reader']): RequestContext => ({
  requestId: 'req', userId: `user-of-${projectId}`, projectId, roles, isAdmin: roles.includes('admin'), authToken: null,
});
const alice = ctx('project-a');
const bob = ctx('project-b');
const admin = ctx('admin-project', ['admin', 'member', 'reader']);

async function* chunks(...parts: (string | Uint8Array)[]): AsyncIterable<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p) : p;
}

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const c of stream) out.push(Buffer.from(c));
  return Buffer.concat(out);
}

async function activeImage(owner: RequestContext, input: Parameters<BuiltinImageService['create']>[1] = {}) {
  const image = await images.create(owner, { name: 'cirros', diskFormat: 'qcow2', containerFormat: 'bare', ...input });
  return images.upload(owner, image.id, chunks('bytes of ', image.name ?? 'x'));
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nubo-image-'));
  dataDir = join(dir, 'images');
  db = await new Database({ url: `sqlite:${join(dir, 'nubo.db')}` }).open();
  clock = Date.parse('2026-01-01T00:00:00Z');
  images = new BuiltinImageService(db, { dataDir, now: () => new Date((clock += 1000)) });
});

afterEach(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('creating and uploading', () => {
  it('goes queued → active, with size, MD5 and SHA-512 computed while streaming', async () => {
    const created = await images.create(alice, { name: 'cirros', diskFormat: 'qcow2', containerFormat: 'bare' });
    expect(created).toMatchObject({ status: 'queued', visibility: 'shared', ownerId: 'project-a', sizeBytes: null, checksum: null });
    const progress: number[] = [];
    const payload = Buffer.alloc(300_000, 7);
    const done = await images.upload(alice, created.id, chunks(payload.subarray(0, 100_000), payload.subarray(100_000)), (n) => progress.push(n));
    expect(done.status).toBe('active');
    expect(done.sizeBytes).toBe(300_000);
    expect(done.checksum).toBe(createHash('md5').update(payload).digest('hex'));
    expect(done.hashValue).toBe(createHash('sha512').update(payload).digest('hex'));
    expect(progress).toEqual([100_000, 300_000]);
    expect(await images.get(alice, created.id)).toEqual(done);
    expect((await readAll(await images.download(alice, created.id))).equals(payload)).toBe(true);
  });

  it('lets exactly one of two concurrent uploads through', async () => {
    const image = await images.create(alice, {});
    const results = await Promise.allSettled([images.upload(alice, image.id, chunks('first')), images.upload(alice, image.id, chunks('second'))]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason)).toEqual([expect.any(Conflict)]);
    expect((await images.get(alice, image.id)).status).toBe('active');
  });

  it('needs a project to own a new image', async () => {
    await expect(images.create(ctx(''), { name: 'orphan' })).rejects.toThrow(Forbidden);
  });

  it('refuses a second upload to an active image', async () => {
    const image = await activeImage(alice);
    await expect(images.upload(alice, image.id, chunks('again'))).rejects.toThrow(Conflict);
    expect((await images.get(alice, image.id)).checksum).toBe(image.checksum);
  });

  it('marks a failed upload killed and leaves no data behind', async () => {
    const image = await images.create(alice, { name: 'broken' });
    async function* failing(): AsyncIterable<Uint8Array> {
      yield Buffer.from('half an image');
      throw new Error('connection reset');
    }
    await expect(images.upload(alice, image.id, failing())).rejects.toThrow('connection reset');
    expect((await images.get(alice, image.id)).status).toBe('killed');
    expect(readdirSync(dataDir)).toEqual([]);
    await expect(images.download(alice, image.id)).rejects.toThrow(Conflict);
    await expect(images.upload(alice, image.id, chunks('retry'))).rejects.toThrow(Conflict);
  });

  it('kills an upload over the size cap with a 413', async () => {
    const small = new BuiltinImageService(db, { dataDir, maxImageSizeBytes: 10 });
    const image = await small.create(alice, {});
    const err = await small.upload(alice, image.id, chunks('0123456789', 'x')).catch((e) => e);
    expect(err).toBeInstanceOf(QuotaExceeded);
    expect(err.status).toBe(413);
    expect((await small.get(alice, image.id)).status).toBe('killed');
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('keeps a snapshot’s server id', async () => {
    const serverId = '6f1a3c2e-0000-4000-8000-000000000001';
    const snap = await activeImage(alice, { name: 'snap', properties: { instance_uuid: serverId, image_type: 'snapshot' } });
    expect(snap.properties.instance_uuid).toBe(serverId);
    expect((await images.list(alice)).find((i) => i.id === snap.id)?.properties).toEqual({ instance_uuid: serverId, image_type: 'snapshot' });
  });

  it('accepts a caller-chosen id once', async () => {
    const id = '11111111-2222-4333-8444-555555555555';
    expect((await images.create(alice, { id })).id).toBe(id);
    await expect(images.create(bob, { id })).rejects.toThrow(Conflict);
  });

  it('rejects bad input and writes nothing', async () => {
    const bad: Parameters<BuiltinImageService['create']>[1][] = [
      { name: 'n'.repeat(256) },
      { visibility: 'everyone' as never },
      { diskFormat: 'exe' },
      { containerFormat: 'zip' },
      { minDiskGb: -1 },
      { minRamMb: 1.5 },
      { protected: 'yes' as never },
      { properties: { k: 5 as never } },
      { tags: [''] },
      { id: 'not-a-uuid' },
    ];
    for (const input of bad) await expect(images.create(alice, input), JSON.stringify(input)).rejects.toThrow(BadRequest);
    await expect(images.create(alice, { properties: { owner: 'x' } })).rejects.toThrow(new Forbidden("Attribute 'owner' is reserved."));
    expect(await db.repo(ImageSchema).count()).toBe(0);
  });
});

describe('visibility and ownership', () => {
  it('lets only an admin create or make an image public', async () => {
    await expect(images.create(alice, { name: 'pub', visibility: 'public' })).rejects.toThrow(Forbidden);
    expect(await db.repo(ImageSchema).count()).toBe(0);
    const own = await images.create(alice, { name: 'mine' });
    await expect(images.update(alice, own.id, { visibility: 'public' })).rejects.toThrow(Forbidden);
    const pub = await images.create(admin, { name: 'pub', visibility: 'public' });
    expect(pub.visibility).toBe('public');
    expect((await images.update(admin, own.id, { visibility: 'public' })).visibility).toBe('public');
  });

  it('hides another project’s private and shared images, and shows public ones', async () => {
    const priv = await activeImage(alice, { name: 'private', visibility: 'private' });
    const shared = await activeImage(alice, { name: 'shared' });
    const pub = await activeImage(admin, { name: 'public', visibility: 'public' });
    for (const id of [priv.id, shared.id]) {
      await expect(images.get(bob, id)).rejects.toThrow(new NotFound(`No image found with ID ${id}`));
      await expect(images.download(bob, id)).rejects.toThrow(NotFound);
      await expect(images.update(bob, id, { name: 'mine now' })).rejects.toThrow(NotFound);
      await expect(images.delete(bob, id)).rejects.toThrow(NotFound);
    }
    expect((await images.list(bob)).map((i) => i.name)).toEqual(['public']);
    expect((await images.list(alice)).map((i) => i.name)).toEqual(['public', 'shared', 'private']);
    expect((await images.get(bob, pub.id)).name).toBe('public');
    await expect(images.update(bob, pub.id, { name: 'hijacked' })).rejects.toThrow(Forbidden);
    await expect(images.delete(bob, pub.id)).rejects.toThrow(Forbidden);
    expect((await images.list(admin)).map((i) => i.name)).toEqual(['public', 'shared', 'private']);
  });

  it('shares an image with a member project, read-only, until the member is removed', async () => {
    const image = await activeImage(alice, { name: 'shared' });
    await images.addMember(alice, image.id, 'project-b');
    expect((await images.get(alice, image.id)).members).toEqual(['project-b']);
    expect((await images.list(bob)).map((i) => i.id)).toEqual([image.id]);
    expect((await readAll(await images.download(bob, image.id))).toString()).toBe('bytes of shared');
    await expect(images.update(bob, image.id, { name: 'x' })).rejects.toThrow(Forbidden);
    await expect(images.addMember(bob, image.id, 'project-c')).rejects.toThrow(Forbidden);
    await expect(images.addMember(alice, image.id, 'project-b')).rejects.toThrow(Conflict);
    await images.removeMember(alice, image.id, 'project-b');
    await expect(images.get(bob, image.id)).rejects.toThrow(NotFound);
    await expect(images.removeMember(alice, image.id, 'project-b')).rejects.toThrow(NotFound);
  });

  it('does not match a member id by pattern', async () => {
    const image = await images.create(alice, { name: 'shared' });
    await images.addMember(alice, image.id, 'project_b%');
    expect(await images.list(ctx('projectXbYZ'))).toEqual([]);
    expect((await images.list(ctx('project_b%'))).map((i) => i.id)).toEqual([image.id]);
  });

  it('gives members only to shared images', async () => {
    const priv = await images.create(alice, { visibility: 'private' });
    await expect(images.addMember(alice, priv.id, 'project-b')).rejects.toThrow(Forbidden);
  });

  it('lists community images only when asked, but lets anyone see one', async () => {
    const community = await images.create(alice, { name: 'community', visibility: 'community' });
    expect(await images.list(bob)).toEqual([]);
    expect((await images.list(bob, { visibility: 'community' })).map((i) => i.id)).toEqual([community.id]);
    expect((await images.get(bob, community.id)).name).toBe('community');
  });

  it('refuses to delete a protected image and deletes its data otherwise', async () => {
    const image = await activeImage(alice, { protected: true });
    await expect(images.delete(alice, image.id)).rejects.toThrow(Forbidden);
    await images.update(alice, image.id, { protected: false });
    expect(existsSync(join(dataDir, image.id))).toBe(true);
    await images.delete(alice, image.id);
    expect(existsSync(join(dataDir, image.id))).toBe(false);
    await expect(images.get(alice, image.id)).rejects.toThrow(NotFound);
  });

  it('updates attributes, replacing properties and tags, and keeps formats once active', async () => {
    const image = await activeImage(alice, { properties: { a: '1' }, tags: ['x'] });
    const updated = await images.update(alice, image.id, { name: 'renamed', minDiskGb: 2, properties: { b: '2' }, tags: ['y', 'y'] });
    expect(updated).toMatchObject({ name: 'renamed', minDiskGb: 2, properties: { b: '2' }, tags: ['y'], checksum: image.checksum });
    await expect(images.update(alice, image.id, { diskFormat: 'raw' })).rejects.toThrow(Forbidden);
    await expect(images.update(alice, image.id, { id: '11111111-2222-4333-8444-555555555555' })).rejects.toThrow(Forbidden);
  });

  it('follows the policy engine when given one: a reader may look but not change', async () => {
    const withPolicy = new BuiltinImageService(db, { dataDir, policy: new RulePolicyEngine() });
    const image = await withPolicy.create(alice, { name: 'p' });
    const readerOfA = ctx('project-a', ['reader']);
    expect((await withPolicy.get(readerOfA, image.id)).name).toBe('p');
    await expect(withPolicy.update(readerOfA, image.id, { name: 'q' })).rejects.toThrow(Forbidden);
    await expect(withPolicy.create(readerOfA, { name: 'r' })).rejects.toThrow(Forbidden);
    expect((await withPolicy.update(alice, image.id, { name: 'q' })).name).toBe('q');
    const serviceContext = { ...ctx('service-project', []), isAdmin: true };
    expect((await withPolicy.get(serviceContext, image.id)).name).toBe('q');
  });
});

describe('listing', () => {
  it('pages newest first by limit and marker, with filters', async () => {
    const created = [];
    for (const name of ['one', 'two', 'three', 'four', 'five']) created.push(await images.create(alice, { name }));
    const page1 = await images.list(alice, { limit: 2 });
    expect(page1.map((i) => i.name)).toEqual(['five', 'four']);
    const page2 = await images.list(alice, { limit: 2, marker: page1[1]!.id });
    expect(page2.map((i) => i.name)).toEqual(['three', 'two']);
    const page3 = await images.list(alice, { limit: 2, marker: page2[1]!.id });
    expect(page3.map((i) => i.name)).toEqual(['one']);
    expect(await images.list(alice, { limit: 0 })).toEqual([]);
    expect((await images.list(alice, { name: 'three' })).map((i) => i.id)).toEqual([created[2]!.id]);
    await images.upload(alice, created[0]!.id, chunks('x'));
    expect((await images.list(alice, { status: 'active' })).map((i) => i.name)).toEqual(['one']);
    expect(await images.list(alice, { owner: 'project-b' })).toEqual([]);
  });

  it('filters by tag and by properties, such as the snapshots of one server', async () => {
    const server = '6f1a3c2e-0000-4000-8000-000000000002';
    const snap = await images.create(alice, { name: 'snap', tags: ['nightly'], properties: { instance_uuid: server, image_type: 'snapshot' } });
    await images.create(alice, { name: 'other', tags: ['nightly_2'], properties: { instance_uuid: 'x', note: `"instance_uuid":"${server}"` } });
    expect((await images.list(alice, { properties: { instance_uuid: server } })).map((i) => i.id)).toEqual([snap.id]);
    expect((await images.list(alice, { properties: { instance_uuid: server, image_type: 'snapshot' } })).map((i) => i.id)).toEqual([snap.id]);
    expect(await images.list(alice, { properties: { instance_uuid: server, image_type: 'base' } })).toEqual([]);
    expect((await images.list(alice, { tag: 'nightly' })).map((i) => i.id)).toEqual([snap.id]);
    await expect(images.list(alice, { properties: { a: 1 as never } })).rejects.toThrow(BadRequest);
  });

  it('rejects a marker the caller cannot see and a bad limit', async () => {
    const hidden = await images.create(bob, { visibility: 'private' });
    await expect(images.list(alice, { marker: hidden.id })).rejects.toThrow(BadRequest);
    await expect(images.list(alice, { limit: -1 })).rejects.toThrow(BadRequest);
    await expect(images.list(alice, { visibility: 'all' as never })).rejects.toThrow(BadRequest);
  });
});

describe('recovery', () => {
  it('kills uploads a crash interrupted and removes their partial files', async () => {
    const image = await images.create(alice, {});
    await db.repo(ImageSchema).update({ id: image.id }, { status: 'saving' });
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, `.${image.id}.abc.part`), 'partial');
    expect(await images.recoverInterruptedUploads()).toBe(1);
    expect((await images.get(alice, image.id)).status).toBe('killed');
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
