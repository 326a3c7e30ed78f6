import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS, type HostStateCache } from '@nubo/core';
import { ensureAdminServices, memberToken } from './admin-support.js';
import { until } from './support/http-client.js';
import { ADMIN_PASSWORD, startApiCloud, type ApiCloud } from './support/start-api-cloud.js';

const run = promisify(execFile);
/** The CLIs take seconds to start each time (Python imports): a test running several gets minutes. */
const CLI_TIMEOUT = 300_000;
let t: ApiCloud;
let env: NodeJS.ProcessEnv;
let memberEnv: NodeJS.ProcessEnv;
let memberTok: string;
let memberProject: string;

function osEnv(user: string, password: string, project: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8',
    OS_AUTH_URL: `${t.api.endpoints.identity}/v3`, OS_IDENTITY_API_VERSION: '3', OS_USERNAME: user, OS_PASSWORD: password,
    OS_PROJECT_NAME: project, OS_USER_DOMAIN_ID: 'default', OS_PROJECT_DOMAIN_ID: 'default', OS_REGION_NAME: 'RegionOne',
  };
}

/** Runs the real `openstack` CLI and parses its `-f json` output. */
async function openstack(args: string[], e = env): Promise<any> {
  const { stdout } = await run('/usr/bin/openstack', [...args, '-f', 'json'], { env: e, timeout: 60_000 });
  return JSON.parse(stdout);
}

async function openstackFails(args: string[], e = env): Promise<string> {
  try {
    await run('/usr/bin/openstack', args, { env: e, timeout: 60_000 });
  } catch (err) {
    return String((err as { stderr?: string }).stderr);
  }
  throw new Error(`openstack ${args.join(' ')} succeeded`);
}

beforeAll(async () => {
  t = await startApiCloud(1);
  await ensureAdminServices(t.cloud);
  env = osEnv('admin', ADMIN_PASSWORD, 'admin');
  const m = await memberToken(t.cloud, t.api.endpoints, 'cli-member');
  memberTok = m.token;
  memberProject = m.projectId;
  memberEnv = osEnv('cli-member-user', 'pw-cli-member', 'cli-member');
});
afterAll(() => t?.stop());

describe('the real openstack CLI', () => {
  it("`openstack flavor list` equals the seed's table", async () => {
    const rows = await openstack(['flavor', 'list']);
    expect(rows.map((r: any) => [r.ID, r.Name, r.RAM, r.Disk, r.VCPUs, r['Is Public']])).toEqual([
      ['1', 'm1.tiny', 512, 1, 1, true], ['2', 'm1.small', 2048, 20, 1, true], ['3', 'm1.medium', 4096, 40, 2, true],
      ['4', 'm1.large', 8192, 80, 4, true], ['5', 'm1.xlarge', 16384, 160, 8, true],
    ]);
  }, CLI_TIMEOUT);

  it('creates, shows and deletes a flavor; a member is refused', async () => {
    const created = await openstack(['flavor', 'create', '--ram', '1024', '--disk', '10', '--vcpus', '2', '--swap', '256', '--id', '77', 'cli.flavor']);
    expect(created).toMatchObject({ id: '77', name: 'cli.flavor', ram: 1024, disk: 10, vcpus: 2, swap: 256 });
    const shown = await openstack(['flavor', 'show', 'cli.flavor']);
    expect(shown).toMatchObject({ id: '77', ram: 1024, 'os-flavor-access:is_public': true });
    expect(await openstackFails(['flavor', 'create', '--ram', '64', '--disk', '1', '--vcpus', '1', 'member.flavor'], memberEnv)).toMatch(/HTTP 403|Forbidden|doesn't allow/);
    await run('/usr/bin/openstack', ['flavor', 'delete', 'cli.flavor'], { env });
    expect((await openstack(['flavor', 'list'])).map((r: any) => r.Name)).not.toContain('cli.flavor');
  }, CLI_TIMEOUT);

  it('creates, lists, shows and deletes a key pair', async () => {
    const { stdout: privateKey } = await run('/usr/bin/openstack', ['keypair', 'create', 'cli-key'], { env: memberEnv });
    expect(privateKey).toMatch(/BEGIN RSA PRIVATE KEY/);
    const list = await openstack(['keypair', 'list'], memberEnv);
    expect(list.map((k: any) => k.Name)).toEqual(['cli-key']);
    expect(list[0].Fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const shown = await openstack(['keypair', 'show', 'cli-key'], memberEnv);
    expect(shown).toMatchObject({ name: 'cli-key', fingerprint: list[0].Fingerprint });
    await run('/usr/bin/openstack', ['keypair', 'delete', 'cli-key'], { env: memberEnv });
    expect(await openstack(['keypair', 'list'], memberEnv)).toEqual([]);
  }, CLI_TIMEOUT);

  it('`quota set` then `quota show` round-trips; a member cannot set', async () => {
    await run('/usr/bin/openstack', ['quota', 'set', '--instances', '7', '--cores', '11', '--ram', '4096', 'cli-member'], { env });
    const shown = await openstack(['quota', 'show', 'cli-member']);
    expect([shown.instances, shown.cores, shown.ram, shown['key-pairs']]).toEqual([7, 11, 4096, 100]);
    expect(await openstackFails(['quota', 'set', '--instances', '99', 'cli-member'], memberEnv)).toMatch(/403|Forbidden|doesn't allow/);
  }, CLI_TIMEOUT);

  it('`limits show --absolute` reports limits and usage', async () => {
    const rows = await openstack(['limits', 'show', '--absolute'], memberEnv);
    const v = Object.fromEntries(rows.map((r: any) => [r.Name, r.Value]));
    expect(v).toMatchObject({ maxTotalInstances: 7, maxTotalCores: 11, maxTotalRAMSize: 4096, totalInstancesUsed: 0, maxTotalKeypairs: 100 });
  }, CLI_TIMEOUT);

  it('`nova flavor-list` and `nova keypair-list` print the tables', async () => {
    const novaEnv = { ...memberEnv };
    const { stdout: flavors } = await run('/usr/bin/nova', ['flavor-list'], { env: novaEnv });
    expect(flavors).toMatch(/\|\s*1\s*\|\s*m1\.tiny\s*\|\s*512\s*\|\s*1\s*\|/);
    expect(flavors).toMatch(/\|\s*5\s*\|\s*m1\.xlarge\s*\|\s*16384\s*\|\s*160\s*\|/);
    await run('/usr/bin/openstack', ['keypair', 'create', 'nova-key'], { env: memberEnv });
    const { stdout: keys } = await run('/usr/bin/nova', ['keypair-list'], { env: novaEnv });
    expect(keys).toMatch(/\|\s*nova-key\s*\|\s*([0-9a-f]{2}:){15}[0-9a-f]{2}\s*\|/);
  }, CLI_TIMEOUT);

  it('`hypervisor list`, `hypervisor stats show` and `compute service list/set` for the admin', async () => {
    const hypervisors = await openstack(['hypervisor', 'list']);
    expect(hypervisors).toEqual([{ ID: expect.any(Number), 'Hypervisor Hostname': expect.any(String), 'Hypervisor Type': 'fake', 'Host IP': expect.any(String), State: 'up' }]);
    const stats = await openstack(['hypervisor', 'stats', 'show']);
    expect(stats).toMatchObject({ count: 1, vcpus: 32, memory_mb: 65536, local_gb: 2000 });
    await run('/usr/bin/openstack', ['compute', 'service', 'set', '--disable', '--disable-reason', 'maintenance', 'compute1', 'nova-compute'], { env });
    const disabled = await openstack(['compute', 'service', 'list', '--long']);
    expect(disabled).toEqual([expect.objectContaining({ Binary: 'nubo-compute', Host: 'compute1', Zone: 'nova', Status: 'disabled', State: 'up', 'Disabled Reason': 'maintenance' })]);
    await run('/usr/bin/openstack', ['compute', 'service', 'set', '--enable', 'compute1', 'nova-compute'], { env });
    expect((await openstack(['compute', 'service', 'list']))[0].Status).toBe('enabled');
    expect(await openstackFails(['hypervisor', 'list'], memberEnv)).toMatch(/403|Forbidden|doesn't allow/);
  }, CLI_TIMEOUT);

  it('`availability zone list --compute` and `server group create/list/show/delete`', async () => {
    expect(await openstack(['availability', 'zone', 'list', '--compute'], memberEnv)).toEqual([{ 'Zone Name': 'nova', 'Zone Status': 'available' }]);
    const group = await openstack(['server', 'group', 'create', '--policy', 'anti-affinity', 'cli-group'], memberEnv);
    expect(group).toMatchObject({ name: 'cli-group', policies: ['anti-affinity'], members: [] });
    expect((await openstack(['server', 'group', 'list'], memberEnv)).map((g: any) => g.Name)).toEqual(['cli-group']);
    expect((await openstack(['server', 'group', 'show', group.id], memberEnv)).id).toBe(group.id);
    await run('/usr/bin/openstack', ['server', 'group', 'delete', 'cli-group'], { env: memberEnv });
    expect(await openstack(['server', 'group', 'list'], memberEnv)).toEqual([]);
  }, CLI_TIMEOUT);

  it('`usage show` and `usage list` list a running server', async () => {
    const ctx = await t.cloud.authenticate(memberTok);
    const image = await t.cloud.images.create(ctx, { name: 'usage-img', diskFormat: 'raw', containerFormat: 'bare', visibility: 'private' });
    await t.cloud.images.upload(ctx, image.id, (async function* () { yield new Uint8Array(1024).fill(3); })());
    const hostCache = t.cloud.container.get<HostStateCache>(TOKENS.HostStateCache);
    await until(() => hostCache.candidates(), (c) => c.length === 1 && c.every((h) => h.serviceUp && !h.serviceDisabled));
    const { servers } = await t.cloud.computeApi.createServers(ctx, { name: 'usage-vm', flavorRef: '2', imageRef: image.id, networks: 'none' });
    await until(() => t.cloud.computeApi.getServer(ctx, servers[0]!.instance.uuid), (v) => v.status === 'ACTIVE');
    const mine = await openstack(['usage', 'show'], memberEnv);
    expect(mine.Project).toBe(memberProject);
    expect(mine.Servers).toEqual([expect.objectContaining({ name: 'usage-vm', flavor: 'm1.small', state: 'active', vcpus: 1, memory_mb: 2048, local_gb: 20, ended_at: null })]);
    expect(mine['RAM MB-Hours']).toBeCloseTo(mine.Servers[0].hours * 2048, 6);
    const all = await openstack(['usage', 'list']);
    expect(all.map((u: any) => [u.Project, u.Servers.length])).toEqual([[memberProject, 1]]);
  }, CLI_TIMEOUT);
});
