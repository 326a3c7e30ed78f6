import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequest, Conflict, Forbidden, NotFound, type RequestContext } from '@nubo/core';
import { ADMIN_TOKENS } from '../src/composition/admin-tokens.js';
import type { FlavorService } from '../src/services/api/flavor-service.js';
import { newProjectMember, startTestCloud, type TestCloud } from './support/start-test-cloud.js';

let t: TestCloud;
let flavors: FlavorService;
let member: RequestContext;
let other: RequestContext;

beforeAll(async () => {
  t = await startTestCloud(0);
  flavors = t.cloud.container.get(ADMIN_TOKENS.Flavors);
  member = await newProjectMember(t.cloud, 'flv-a');
  other = await newProjectMember(t.cloud, 'flv-b');
});
afterAll(() => t?.stop());

describe('flavors', () => {
  it('lists the five seeded flavors in id order for any user', async () => {
    const list = await flavors.list(member);
    expect(list.map((f) => [f.id, f.name, f.memoryMb, f.rootGb, f.vcpus])).toEqual([
      ['1', 'm1.tiny', 512, 1, 1], ['2', 'm1.small', 2048, 20, 1], ['3', 'm1.medium', 4096, 40, 2],
      ['4', 'm1.large', 8192, 80, 4], ['5', 'm1.xlarge', 16384, 160, 8],
    ]);
    expect(list.every((f) => f.rxtxFactor === 1 && f.isPublic && f.swapMb === 0)).toBe(true);
  });

  it('filters by minRam and minDisk and pages with limit and marker', async () => {
    expect((await flavors.list(member, { minRam: 4096, minDisk: 80 })).map((f) => f.id)).toEqual(['4', '5']);
    expect((await flavors.list(member, { limit: 2, marker: '2' })).map((f) => f.id)).toEqual(['3', '4']);
    expect((await flavors.list(member, { sortKey: 'memory_mb', sortDir: 'desc', limit: 1 })).map((f) => f.name)).toEqual(['m1.xlarge']);
    await expect(flavors.list(member, { marker: 'nope' })).rejects.toThrow('marker [nope] not found');
    await expect(flavors.list(member, { sortKey: 'bogus' })).rejects.toBeInstanceOf(BadRequest);
  });

  it('lets only an admin create and delete flavors; a member gets Forbidden and nothing is written', async () => {
    await expect(flavors.create(member, { name: 'x.member', ram: 1, vcpus: 1, disk: 0 })).rejects.toBeInstanceOf(Forbidden);
    await expect(flavors.delete(member, '1')).rejects.toBeInstanceOf(Forbidden);
    expect((await flavors.list(t.admin, { isPublic: null })).map((f) => f.name)).not.toContain('x.member');
    const f = await flavors.create(t.admin, { name: 'x.custom', id: 42, ram: 1024, vcpus: 2, disk: 10, ephemeral: 5, swap: 512, rxtxFactor: 2 });
    expect(f).toMatchObject({ id: '42', memoryMb: 1024, ephemeralGb: 5, swapMb: 512, rxtxFactor: 2, isPublic: true });
    expect((await flavors.get(member, '42')).name).toBe('x.custom');
    await flavors.delete(t.admin, '42');
    await expect(flavors.get(member, '42')).rejects.toThrow('Flavor 42 could not be found.');
  });

  it('generates an id when none is given', async () => {
    const f = await flavors.create(t.admin, { name: 'x.auto', ram: 64, vcpus: 1, disk: 0 });
    expect(f.id).toMatch(/^[0-9a-f-]{36}$/);
    await flavors.delete(t.admin, f.id);
  });

  it('refuses duplicate names and ids with 409 and Nova messages', async () => {
    await expect(flavors.create(t.admin, { name: 'm1.tiny', ram: 1, vcpus: 1, disk: 0 })).rejects.toThrow('Flavor with name m1.tiny already exists.');
    const err = await flavors.create(t.admin, { name: 'fresh', id: '1', ram: 1, vcpus: 1, disk: 0 }).catch((e) => e);
    expect(err).toBeInstanceOf(Conflict);
    expect(err.message).toBe('Flavor with ID 1 already exists.');
  });

  it.each([
    [{ ram: 0 }, 'ram must be >= 1'],
    [{ vcpus: 0 }, 'vcpus must be >= 1'],
    [{ disk: -1 }, 'disk must be >= 0'],
    [{ swap: -5 }, 'swap must be >= 0'],
    [{ ephemeral: 1.5 }, 'ephemeral must be an integer'],
    [{ rxtxFactor: 0 }, 'rxtx_factor'],
    [{ name: ' padded' }, 'name'],
    [{ name: '' }, 'name'],
    [{ id: 'bad/id' }, 'id'],
    [{ ram: 2 ** 40 }, 'ram must be <='],
  ])('rejects bad input %j with 400 and writes nothing', async (patch, message) => {
    const before = (await flavors.list(t.admin, { isPublic: null })).length;
    const err = await flavors.create(t.admin, { name: 'x.bad', ram: 1, vcpus: 1, disk: 0, ...patch }).catch((e) => e);
    expect(err).toBeInstanceOf(BadRequest);
    expect(err.message).toContain(message);
    expect((await flavors.list(t.admin, { isPublic: null })).length).toBe(before);
  });

  it('keeps a private flavor invisible except to projects given access', async () => {
    const f = await flavors.create(t.admin, { name: 'x.private', id: 'priv', ram: 128, vcpus: 1, disk: 1, isPublic: false });
    expect((await flavors.list(member)).map((x) => x.id)).not.toContain('priv');
    await expect(flavors.get(member, 'priv')).rejects.toBeInstanceOf(NotFound);
    expect(await flavors.addAccess(t.admin, f.id, member.projectId)).toEqual([{ flavorId: 'priv', tenantId: member.projectId }]);
    expect((await flavors.list(member)).map((x) => x.id)).toContain('priv');
    expect((await flavors.get(member, 'priv')).name).toBe('x.private');
    await expect(flavors.get(other, 'priv')).rejects.toBeInstanceOf(NotFound);
    await expect(flavors.addAccess(t.admin, f.id, member.projectId)).rejects.toBeInstanceOf(Conflict);
    await expect(flavors.addAccess(t.admin, f.id, 'no-such-project')).rejects.toThrow('Project ID no-such-project is not a valid project.');
    await expect(flavors.addAccess(member, f.id, other.projectId)).rejects.toBeInstanceOf(Forbidden);
    expect(await flavors.listAccess(t.admin, 'priv')).toEqual([{ flavorId: 'priv', tenantId: member.projectId }]);
    await expect(flavors.listAccess(t.admin, '1')).rejects.toThrow('Access list not available for public flavors.');
    await expect(flavors.addAccess(t.admin, '1', member.projectId)).rejects.toThrow('Can not add access to a public flavor.');
    expect(await flavors.removeAccess(t.admin, 'priv', member.projectId)).toEqual([]);
    await expect(flavors.removeAccess(t.admin, 'priv', member.projectId)).rejects.toBeInstanceOf(NotFound);
    await expect(flavors.get(member, 'priv')).rejects.toBeInstanceOf(NotFound);
    expect((await flavors.list(t.admin, { isPublic: false })).map((x) => x.id)).toEqual(['priv']);
  });

  it('manages extra specs: admins write, members read', async () => {
    expect(await flavors.setExtraSpecs(t.admin, '2', { 'hw:cpu_policy': 'dedicated', 'quota:cpu_shares': 1024 })).toEqual({
      'hw:cpu_policy': 'dedicated', 'quota:cpu_shares': '1024',
    });
    expect(await flavors.listExtraSpecs(member, '2')).toEqual({ 'hw:cpu_policy': 'dedicated', 'quota:cpu_shares': '1024' });
    expect(await flavors.getExtraSpec(member, '2', 'hw:cpu_policy')).toBe('dedicated');
    await expect(flavors.setExtraSpecs(member, '2', { a: 'b' })).rejects.toBeInstanceOf(Forbidden);
    await flavors.setExtraSpec(t.admin, '2', 'hw:cpu_policy', { 'hw:cpu_policy': 'shared' });
    await expect(flavors.setExtraSpec(t.admin, '2', 'k1', { k2: 'v' })).rejects.toThrow('Request body and URI mismatch');
    await expect(flavors.setExtraSpecs(t.admin, '2', { 'bad/key': 'v' })).rejects.toBeInstanceOf(BadRequest);
    await expect(flavors.setExtraSpecs(t.admin, '2', { k: 'v'.repeat(256) })).rejects.toBeInstanceOf(BadRequest);
    await flavors.deleteExtraSpec(t.admin, '2', 'quota:cpu_shares');
    expect(await flavors.listExtraSpecs(member, '2')).toEqual({ 'hw:cpu_policy': 'shared' });
    await expect(flavors.getExtraSpec(member, '2', 'quota:cpu_shares')).rejects.toThrow('Flavor 2 has no extra specs with key quota:cpu_shares.');
    await expect(flavors.deleteExtraSpec(t.admin, '2', 'nope')).rejects.toBeInstanceOf(NotFound);
  });

  it('updates only the description, admin only', async () => {
    expect((await flavors.updateDescription(t.admin, '3', 'medium box')).description).toBe('medium box');
    expect((await flavors.get(member, '3')).description).toBe('medium box');
    await expect(flavors.updateDescription(member, '3', 'x')).rejects.toBeInstanceOf(Forbidden);
  });
});
