// The all-in-one cloud as a script: one process, a SQLite file, the in-process transport and
// three fake hypervisors. Bootstraps an admin and a project, boots servers, lists them, stops
// one, deletes them all, printing each step.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cloud, FakeDriver, silentLogger, type ServerView } from '@nubo/core';

const dir = mkdtempSync(join(tmpdir(), 'nubo-demo-'));
const step = (msg: string) => console.log(`\n== ${msg}`);

async function until(cloud: Cloud, ctx: Parameters<Cloud['computeApi']['getServer']>[0], uuid: string, want: (v: ServerView) => boolean) {
  for (let i = 0; i < 500; i++) {
    const v = await cloud.computeApi.getServer(ctx, uuid);
    if (want(v)) return v;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`server ${uuid} did not settle`);
}

step('starting the cloud (SQLite, in-process transport, 3 fake hosts)');
const cloud = await Cloud.start({
  database: { url: `sqlite:${join(dir, 'nubo.sqlite')}` },
  imageDataDir: join(dir, 'images'),
  logger: silentLogger,
  computeHosts: ['compute1', 'compute2', 'compute3'].map((host) => ({ host, driver: new FakeDriver() })),
  bootstrap: { adminUser: 'admin', adminPassword: 'admin-secret', adminProject: 'admin' },
});
try {
  step('bootstrapping a project "demo" with a member "alice"');
  const adminToken = await cloud.identity.authenticatePassword(
    { user: { name: 'admin', domainId: 'default' }, password: 'admin-secret' }, { project: { name: 'admin', domainId: 'default' } });
  const admin = await cloud.authenticate(adminToken.token);
  const project = await cloud.identity.createProject({ name: 'demo' });
  const alice = await cloud.identity.createUser({ name: 'alice', password: 'alice-secret', defaultProjectId: project.id });
  const member = (await cloud.identity.listRoles()).find((r) => r.name === 'member')!;
  await cloud.identity.assignRole({ userId: alice.id, projectId: project.id, roleId: member.id });
  const token = await cloud.identity.authenticatePassword({ user: { name: 'alice', domainId: 'default' }, password: 'alice-secret' }, { project: { id: project.id } });
  const ctx = await cloud.authenticate(token.token);
  console.log(`project ${project.id}, user ${alice.id}, token expires ${token.expiresAt.toISOString()}`);

  step('registering an image');
  const image = await cloud.images.create(admin, { name: 'tiny-linux', diskFormat: 'raw', containerFormat: 'bare', visibility: 'public' });
  await cloud.images.upload(admin, image.id, (async function* () { yield new Uint8Array(1 << 20); })());
  console.log(`image ${image.id} active`);

  step('booting 3 servers (m1.tiny)');
  const { servers } = await cloud.computeApi.createServers(ctx, { name: 'web', flavorRef: '1', imageRef: image.id, minCount: 3 });
  for (const s of servers) {
    const v = await until(cloud, ctx, s.instance.uuid, (x) => x.status !== 'BUILD');
    console.log(`${v.instance.name}  ${v.status}  host=${v.instance.host}  ip=${v.addresses.map((a) => a.address).join(',')}`);
  }

  step('listing servers');
  for (const v of await cloud.computeApi.listServers(ctx)) console.log(`${v.instance.uuid}  ${v.instance.name}  ${v.status}`);

  step(`stopping ${servers[0]!.instance.name}`);
  await cloud.serverActions.stop(ctx, servers[0]!.instance.uuid);
  const stopped = await until(cloud, ctx, servers[0]!.instance.uuid, (x) => x.status === 'SHUTOFF');
  console.log(`${stopped.instance.name}  ${stopped.status}  power_state=${stopped.instance.powerState}`);

  step('deleting every server');
  for (const s of servers) await cloud.computeApi.deleteServer(ctx, s.instance.uuid);
  for (let i = 0; i < 500 && (await cloud.computeApi.listServers(ctx)).length > 0; i++) await new Promise((r) => setTimeout(r, 20));
  console.log(`servers left: ${(await cloud.computeApi.listServers(ctx)).length}`);
} finally {
  await cloud.stop();
  rmSync(dir, { recursive: true, force: true });
}
step('done');
