import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call } from './support/http-client.js';

const example = resolve(import.meta.dirname, '../../../examples/all-in-one');

interface Started { child: ChildProcess; exports: Record<string, string>; imageId: string }

/** Runs `pnpm start`'s command on free ports and reads the banner it prints. */
function start(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, ['--conditions=nubo-source', '--import', 'tsx', 'src/main.ts'], {
    cwd: example,
    env: { ...process.env, NUBO_DATA_DIR: dataDir, NUBO_IDENTITY_PORT: '0', NUBO_COMPUTE_PORT: '0', NUBO_IMAGE_PORT: '0', NUBO_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  return new Promise((resolvePromise, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const block = err.split('# or as')[0]!;
      if (!err.includes('# or as') || !block.includes('OS_REGION_NAME')) return;
      const exports = Object.fromEntries([...block.matchAll(/^export (OS_\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
      resolvePromise({ child, exports, imageId: /image ([0-9a-f-]{36})/.exec(err)![1]! });
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${err}`)));
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => { child.on('exit', (code) => r(code)); child.kill('SIGINT'); });
}

describe('pnpm start (examples/all-in-one)', { timeout: 180_000 }, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'nubo-aio-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('prints working OS_* exports, stops cleanly on Ctrl-C, and keeps its data for the next start', async () => {
    const first = await start(dataDir);
    const e = first.exports;
    expect(e).toMatchObject({ OS_USERNAME: 'admin', OS_PROJECT_NAME: 'admin', OS_USER_DOMAIN_NAME: 'Default', OS_IDENTITY_API_VERSION: '3' });
    const auth = { auth: { identity: { methods: ['password'], password: { user: { name: e.OS_USERNAME, domain: { name: e.OS_USER_DOMAIN_NAME }, password: e.OS_PASSWORD } } }, scope: { project: { name: e.OS_PROJECT_NAME, domain: { name: e.OS_PROJECT_DOMAIN_NAME } } } } };
    const token = await call(`${e.OS_AUTH_URL}/auth/tokens`, { method: 'POST', body: auth });
    expect(token.status).toBe(201);
    const computeUrl = token.body.token.catalog.find((s: { type: string }) => s.type === 'compute').endpoints[0].url;
    const imageUrl = token.body.token.catalog.find((s: { type: string }) => s.type === 'image').endpoints[0].url;
    const x = token.headers.get('x-subject-token')!;
    const images = await call(`${imageUrl}/v2/images`, { token: x });
    expect(images.body.images).toEqual([expect.objectContaining({ id: first.imageId, name: 'cirros-0.6-fake', status: 'active', visibility: 'public' })]);
    const created = await call(`${computeUrl}/servers`, { method: 'POST', token: x, body: { server: { name: 'keep-me', flavorRef: '1', imageRef: first.imageId } } });
    expect(created.status).toBe(202);
    expect(await stop(first.child)).toBe(0);

    const second = await start(dataDir);
    expect(second.imageId).toBe(first.imageId);
    const again = await call(`${second.exports.OS_AUTH_URL}/auth/tokens`, { method: 'POST', body: auth });
    const compute2 = again.body.token.catalog.find((s: { type: string }) => s.type === 'compute').endpoints[0].url;
    const servers = await call(`${compute2}/servers`, { token: again.headers.get('x-subject-token')! });
    expect(servers.body.servers.map((s: { name: string }) => s.name)).toEqual(['keep-me']);
    const projects = await call(`${second.exports.OS_AUTH_URL}/projects`, { token: again.headers.get('x-subject-token')! });
    expect(projects.body.projects.map((p: { name: string }) => p.name).sort()).toEqual(['admin', 'demo']);
    expect(await stop(second.child)).toBe(0);
  });
});
