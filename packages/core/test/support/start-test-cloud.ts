import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cloud, FakeDriver, JsonLogger, type CloudOptions, type LogRecord, type RequestContext } from '@nubo/core';

export interface TestCloud {
  cloud: Cloud;
  drivers: FakeDriver[];
  logs: LogRecord[];
  admin: RequestContext;
  imageId: string;
  stop(): Promise<void>;
}

/** An all-in-one cloud on a fresh SQLite file with `hosts` fake compute hosts and one active image. */
export async function startTestCloud(hosts = 2, extra: Partial<CloudOptions> = {}): Promise<TestCloud> {
  const dir = mkdtempSync(join(tmpdir(), 'nubo-cloud-'));
  const logs: LogRecord[] = [];
  const drivers = Array.from({ length: hosts }, () => new FakeDriver({ capacity: { vcpus: 16, memoryMb: 32768, localGb: 1000 } }));
  const cloud = await Cloud.start({
    database: { url: `sqlite:${join(dir, 'nubo.sqlite')}` },
    imageDataDir: join(dir, 'images'),
    hostName: 'test-controller',
    logger: new JsonLogger((r) => logs.push(r), 'debug'),
    computeHosts: drivers.map((driver, i) => ({ host: `compute${i + 1}`, driver })),
    bootstrap: { adminUser: 'admin', adminPassword: 'secret', adminProject: 'admin' },
    identity: { passwordHashCost: 10 },
    ...extra,
  });
  const token = await cloud.identity.authenticatePassword(
    { user: { name: 'admin', domainId: 'default' }, password: 'secret' },
    { project: { name: 'admin', domainId: 'default' } },
  );
  const admin = await cloud.authenticate(token.token, 'req-setup');
  const image = await cloud.images.create(admin, { name: 'cirros', diskFormat: 'raw', containerFormat: 'bare', visibility: 'public' });
  await cloud.images.upload(admin, image.id, (async function* () { yield new Uint8Array(4096).fill(7); })());
  return {
    cloud, drivers, logs, admin, imageId: image.id,
    async stop() {
      await cloud.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A member of a fresh project, with a token of its own. */
export async function newProjectMember(cloud: Cloud, name: string): Promise<RequestContext> {
  const project = await cloud.identity.createProject({ name });
  const user = await cloud.identity.createUser({ name: `${name}-user`, password: 'pw-' + name, defaultProjectId: project.id });
  const roles = await cloud.identity.listRoles();
  await cloud.identity.assignRole({ userId: user.id, projectId: project.id, roleId: roles.find((r) => r.name === 'member')!.id });
  const token = await cloud.identity.authenticatePassword({ user: { id: user.id }, password: 'pw-' + name }, { project: { id: project.id } });
  return cloud.authenticate(token.token, `req-${name}`);
}

export async function waitFor<T>(probe: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (done(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting; last value: ${JSON.stringify(v)?.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function withRequest(ctx: RequestContext, requestId: string): RequestContext {
  return { ...ctx, requestId };
}
