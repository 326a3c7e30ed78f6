import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequest, Forbidden, type RequestContext } from '@nubo/core';
import { ADMIN_TOKENS } from '../src/composition/admin-tokens.js';
import type { LimitsService } from '../src/services/api/limits-service.js';
import type { QuotaSetService } from '../src/services/api/quota-set-service.js';
import type { KeyPairService } from '../src/services/api/key-pair-service.js';
import { newProjectMember, startTestCloud, waitFor, type TestCloud } from './support/start-test-cloud.js';

let t: TestCloud;
let quotas: QuotaSetService;
let limits: LimitsService;
let member: RequestContext;
let other: RequestContext;

beforeAll(async () => {
  t = await startTestCloud(1);
  quotas = t.cloud.container.get(ADMIN_TOKENS.QuotaSets);
  limits = t.cloud.container.get(ADMIN_TOKENS.Limits);
  member = await newProjectMember(t.cloud, 'q-a');
  other = await newProjectMember(t.cloud, 'q-b');
});
afterAll(() => t?.stop());

describe('quota sets', () => {
  it("shows a project's limits (Nova's defaults) to its members", async () => {
    expect(await quotas.show(member, member.projectId)).toMatchObject({
      instances: 10, cores: 20, ram: 51200, key_pairs: 100, metadata_items: 128, server_groups: 10, server_group_members: 10,
    });
    expect((await quotas.defaults(member, member.projectId)).instances).toBe(10);
  });

  it("refuses a member another project's quotas with 403", async () => {
    await expect(quotas.show(member, other.projectId)).rejects.toBeInstanceOf(Forbidden);
    await expect(quotas.detail(member, other.projectId)).rejects.toBeInstanceOf(Forbidden);
    await expect(quotas.update(member, member.projectId, { instances: 50 })).rejects.toBeInstanceOf(Forbidden);
    await expect(quotas.reset(member, member.projectId)).rejects.toBeInstanceOf(Forbidden);
  });

  it('refuses an unknown project with 400', async () => {
    await expect(quotas.show(t.admin, 'no-such-project')).rejects.toThrow('Project ID no-such-project is not a valid project.');
  });

  it('lets an admin set limits (integers or integer strings), then reset them to the defaults', async () => {
    const after = await quotas.update(t.admin, other.projectId, { instances: 3, cores: '7', ram: -1 });
    expect(after).toMatchObject({ instances: 3, cores: 7, ram: -1, key_pairs: 100 });
    expect((await quotas.show(other, other.projectId)).instances).toBe(3);
    await quotas.reset(t.admin, other.projectId);
    expect(await quotas.show(other, other.projectId)).toMatchObject({ instances: 10, cores: 20, ram: 51200 });
  });

  it.each([
    [{ instances: -2 }, 'less than the minimum of -1'],
    [{ instances: 'ten' }, 'It must be an integer'],
    [{ instances: 1.5 }, 'It must be an integer'],
    [{ instances: 2 ** 31 }, 'greater than the maximum'],
    [{ bogus: 1 }, "'bogus' was unexpected"],
    [{ networks: 1 }, 'The networks quota has been removed'],
    [{ force: 'maybe', instances: 1 }, 'force'],
  ])('rejects %j with 400 and changes nothing', async (body, message) => {
    const err = await quotas.update(t.admin, member.projectId, { cores: 99, ...(body as object) }).catch((e) => e);
    expect(err).toBeInstanceOf(BadRequest);
    expect(err.message).toContain(message);
    expect((await quotas.show(t.admin, member.projectId)).cores).toBe(20);
  });

  it('refuses a limit below current usage unless forced; detail shows in_use', async () => {
    const { servers } = await t.cloud.computeApi.createServers(member, { name: 'q-vm', flavorRef: '1', imageRef: t.imageId, networks: 'none' });
    await waitFor(() => t.cloud.computeApi.getServer(member, servers[0]!.instance.uuid), (s) => s.status === 'ACTIVE');
    const detail = await quotas.detail(member, member.projectId);
    expect(detail.instances).toEqual({ limit: 10, inUse: 1, reserved: 0 });
    expect(detail.ram).toEqual({ limit: 51200, inUse: 512, reserved: 0 });
    await expect(quotas.update(t.admin, member.projectId, { instances: 0 })).rejects.toThrow(
      'Quota limit 0 for instances must be greater than or equal to already used and reserved 1.',
    );
    expect((await quotas.update(t.admin, member.projectId, { instances: 0, force: true })).instances).toBe(0);
    await quotas.reset(t.admin, member.projectId);
  });
});

describe('limits', () => {
  it('reports absolute limits with usage under Nova names', async () => {
    const keys = t.cloud.container.get<KeyPairService>(ADMIN_TOKENS.KeyPairs);
    await keys.create(member, { name: 'lim-key' });
    const l = await limits.absolute(member);
    expect(l).toMatchObject({
      maxTotalInstances: 10, maxTotalCores: 20, maxTotalRAMSize: 51200, maxTotalKeypairs: 100, maxServerMeta: 128,
      maxImageMeta: 128, maxPersonality: 5, maxPersonalitySize: 10240, maxServerGroups: 10, maxServerGroupMembers: 10,
      totalInstancesUsed: 1, totalCoresUsed: 1, totalRAMUsed: 512, totalServerGroupsUsed: 0, totalKeyPairsUsed: 1,
    });
  });

  it("shows another project's limits only to an admin", async () => {
    await expect(limits.absolute(other, member.projectId)).rejects.toBeInstanceOf(Forbidden);
    expect((await limits.absolute(t.admin, member.projectId)).totalInstancesUsed).toBe(1);
  });
});
