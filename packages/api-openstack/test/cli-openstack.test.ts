import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startApiCloud, type ApiCloud } from './support/start-api-cloud.js';
import { cliEnv, osc, parseTable, runClient } from './support/openstack-cli.js';
import { until } from './support/http-client.js';

// The real clients, as a user runs them: Debian's python3-openstackclient, python3-novaclient
// and python3-openstacksdk (scripts/setup/openstack-clients.sh installs them).
describe('the real OpenStack clients against Nubo', { timeout: 240_000 }, () => {
  let t: ApiCloud;
  let env: NodeJS.ProcessEnv;
  let work: string;
  let adminProjectId: string;

  beforeAll(async () => {
    t = await startApiCloud(2);
    work = mkdtempSync(join(t.dir, 'cli-'));
    env = cliEnv(t.api.endpoints, 'admin', ADMIN_PASSWORD, 'admin', work);
    adminProjectId = t.cloud.bootstrapResult!.projectId;
    const ctx = await t.cloud.authenticate((await t.cloud.identity.authenticatePassword({ user: { name: 'admin' }, password: ADMIN_PASSWORD }, { project: { name: 'admin' } })).token);
    const image = await t.cloud.images.create(ctx, { name: 'cirros', diskFormat: 'raw', containerFormat: 'bare', visibility: 'public' });
    await t.cloud.images.upload(ctx, image.id, (async function* () { yield new Uint8Array(4096).fill(3); })());
  });
  afterAll(async () => { await t?.stop(); });

  it('openstack token issue gives a token for the admin project', async () => {
    const token = await osc(env, 'token', 'issue');
    expect(token.project_id).toBe(adminProjectId);
    expect(token.user_id).toBe(t.cloud.bootstrapResult!.userId);
    expect((await t.cloud.identity.validateToken(token.id)).projectId).toBe(adminProjectId);
  });

  it('openstack flavor list equals the seed\'s five flavors', async () => {
    const rows = await osc(env, 'flavor', 'list');
    const table = rows.map((r: any) => [r.ID, r.Name, r.RAM, r.Disk, r.VCPUs, r['Is Public']]);
    expect(table).toEqual([
      ['1', 'm1.tiny', 512, 1, 1, true],
      ['2', 'm1.small', 2048, 20, 1, true],
      ['3', 'm1.medium', 4096, 40, 2, true],
      ['4', 'm1.large', 8192, 80, 4, true],
      ['5', 'm1.xlarge', 16384, 160, 8, true],
    ]);
  });

  it('openstack image create from a file, list, show and delete', async () => {
    const file = join(work, 'disk.raw');
    writeFileSync(file, Buffer.alloc(64 * 1024, 0x42));
    const created = await osc(env, 'image', 'create', '--file', file, '--disk-format', 'raw', '--container-format', 'bare', '--private', 'cli-image');
    expect(created.name).toBe('cli-image');
    const listed = await osc(env, 'image', 'list');
    expect(listed).toEqual(expect.arrayContaining([{ ID: created.id, Name: 'cli-image', Status: 'active' }]));
    const shown = await osc(env, 'image', 'show', created.id);
    expect(shown).toMatchObject({ id: created.id, status: 'active', size: 64 * 1024, visibility: 'private', disk_format: 'raw', checksum: createHash('md5').update(Buffer.alloc(64 * 1024, 0x42)).digest('hex') });
    await runClient('/usr/bin/openstack', ['image', 'delete', created.id], env);
    expect((await t.cloud.images.list(await adminCtx(), { name: 'cli-image' }))).toEqual([]);
  });

  it('openstack keypair create, list, show and delete', async () => {
    const created = await osc(env, 'keypair', 'create', '--private-key', join(work, 'cli-key.pem'), 'cli-key');
    expect(readFileSync(join(work, 'cli-key.pem'), 'utf8')).toMatch(/PRIVATE KEY/);
    expect(created.name).toBe('cli-key');
    expect(created.fingerprint).toMatch(/^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    const listed = await osc(env, 'keypair', 'list');
    expect(listed).toEqual([expect.objectContaining({ Name: 'cli-key', Fingerprint: created.fingerprint })]);
    const shown = await osc(env, 'keypair', 'show', 'cli-key');
    expect(shown).toMatchObject({ name: 'cli-key', fingerprint: created.fingerprint });
    await runClient('/usr/bin/openstack', ['keypair', 'delete', 'cli-key'], env);
    expect(await osc(env, 'keypair', 'list')).toEqual([]);
  });

  it('openstack server create --wait, list, show, stop, start, reboot and delete; nova list agrees', async () => {
    const created = await osc(env, 'server', 'create', '--flavor', 'm1.tiny', '--image', 'cirros', '--property', 'tier=web', '--wait', 'cli-vm');
    expect(created).toMatchObject({ name: 'cli-vm', status: 'ACTIVE', flavor: 'm1.tiny (1)', properties: { tier: 'web' } });
    const id = created.id as string;
    const listed = await osc(env, 'server', 'list');
    expect(listed).toEqual([expect.objectContaining({ ID: id, Name: 'cli-vm', Status: 'ACTIVE', Image: 'cirros', Flavor: 'm1.tiny' })]);
    const status = async () => (await t.cloud.computeApi.getServer(await adminCtx(), id)).status;
    await runClient('/usr/bin/openstack', ['server', 'stop', id], env);
    await until(status, (s) => s === 'SHUTOFF');
    const stopped = await osc(env, 'server', 'show', id);
    expect(stopped).toMatchObject({ status: 'SHUTOFF', 'OS-EXT-STS:power_state': 4 });
    await runClient('/usr/bin/openstack', ['server', 'start', id], env);
    await until(status, (s) => s === 'ACTIVE');
    await runClient('/usr/bin/openstack', ['server', 'reboot', '--hard', id], env);
    await until(status, (s) => s === 'ACTIVE');
    const actions = (await t.cloud.instanceActions.list(await adminCtx(), id)).map((a) => a.action).reverse();
    expect(actions).toEqual(['create', 'stop', 'start', 'reboot']);

    const nova = parseTable(await runClient('/usr/bin/nova', ['list'], env));
    expect(nova).toEqual([expect.objectContaining({ ID: id, Name: 'cli-vm', Status: 'ACTIVE', 'Power State': 'Running' })]);
    expect(nova[0]!.Networks).toMatch(/=10\.100\.\d+\.\d+$/);

    await runClient('/usr/bin/openstack', ['server', 'delete', '--wait', id], env);
    expect(await osc(env, 'server', 'list')).toEqual([]);
  });

  it('nova flavor-list and keypair-list show the same data', async () => {
    const flavors = parseTable(await runClient('/usr/bin/nova', ['flavor-list'], env));
    expect(flavors.map((f) => [f.ID, f.Name, f.Memory_MiB ?? f['Memory_MB'], f.VCPUs])).toEqual([
      ['1', 'm1.tiny', '512', '1'], ['2', 'm1.small', '2048', '1'], ['3', 'm1.medium', '4096', '2'], ['4', 'm1.large', '8192', '4'], ['5', 'm1.xlarge', '16384', '8'],
    ]);
    await runClient('/usr/bin/nova', ['keypair-add', 'nova-key'], env);
    const keys = parseTable(await runClient('/usr/bin/nova', ['keypair-list'], env));
    expect(keys.map((k) => k.Name)).toEqual(['nova-key']);
  });

  it('an openstacksdk script boots a server, snapshots it, and reads the image-list table through the compute image proxy', async () => {
    const script = join(work, 'sdk.py');
    writeFileSync(script, `
import json, openstack
conn = openstack.connect()
image = conn.image.find_image('cirros')
flavor = conn.compute.find_flavor('m1.tiny')
server = conn.compute.create_server(name='sdk-vm', image_id=image.id, flavor_id=flavor.id)
server = conn.compute.wait_for_server(server, status='ACTIVE', interval=0.2, wait=60)
snap = conn.compute.create_server_image(server, 'sdk-snap', wait=True, timeout=60)
conn.compute.wait_for_server(server, status='ACTIVE', interval=0.2, wait=60)
rows = [[i['id'], i['name'], i['status'], (i.get('server') or {}).get('id', '')]
        for i in conn.compute.get('/images/detail').json()['images']]
print(json.dumps({'server': server.id, 'snapshot': snap.id, 'status': server.status, 'images': rows,
                  'servers': [s.name for s in conn.compute.servers()]}))
`);
    const out = JSON.parse(await runClient('/usr/bin/python3', [script], env));
    expect(out.status).toBe('ACTIVE');
    expect(out.servers).toContain('sdk-vm');
    expect(out.images).toEqual(expect.arrayContaining([
      [out.snapshot, 'sdk-snap', 'ACTIVE', out.server],
      [expect.any(String), 'cirros', 'ACTIVE', ''],
    ]));
  });

  async function adminCtx() {
    const token = await t.cloud.identity.authenticatePassword({ user: { name: 'admin' }, password: ADMIN_PASSWORD }, { project: { name: 'admin' } });
    return t.cloud.authenticate(token.token);
  }
});
