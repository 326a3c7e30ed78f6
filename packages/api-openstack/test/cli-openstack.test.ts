import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, startApiCloud, type ApiCloud } from './support/start-api-cloud.js';
import { cliEnv, osc, parseTable, runClient } from './support/openstack-cli.js';
import { until } from './support/http-client.js';

// The real clients, as a user runs them: Debian's python3-openstackclient, python3-novaclient
// and python3-openstacksdk (scripts/setup/openstack-clients.sh installs them). Flavors, key
// pairs, quotas and limits through the CLIs are in admin-cli.test.ts.
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
    const events = await osc(env, 'server', 'event', 'list', id);
    expect(events.map((e: { Action: string }) => e.Action).reverse()).toEqual(['create', 'stop', 'start', 'reboot']);
    expect(events.every((e: Record<string, string>) => e['Server ID'] === id && /^req-/.test(e['Request ID']))).toBe(true);

    const nova = parseTable(await runClient('/usr/bin/nova', ['list'], env));
    expect(nova).toEqual([expect.objectContaining({ ID: id, Name: 'cli-vm', Status: 'ACTIVE', 'Power State': 'Running' })]);
    expect(nova[0]!.Networks).toMatch(/=10\.100\.\d+\.\d+$/);

    await runClient('/usr/bin/openstack', ['server', 'delete', '--wait', id], env);
    expect(await osc(env, 'server', 'list')).toEqual([]);
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
