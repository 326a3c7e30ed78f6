import { startOpenStackApi, type OpenStackApi } from '@nubo/api-openstack';
import { Cloud, silentLogger } from '@nubo/core';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VMwareDriver } from '../src/index.js';
import { findByUuid, propNumber, propString, retrieveOne } from '../src/vim/index.js';
import { startVcsim, type Vcsim } from '../src/vcsim.js';

// End to end: the real OpenStack CLI against Nubo's APIs, an all-in-one cloud whose only
// compute host is this driver, and vcsim as vSphere.

const run = promisify(execFile);
let sim: Vcsim;
let cloud: Cloud;
let api: OpenStackApi;
let driver: VMwareDriver;
let dir: string;

/** Runs the CLI; `-f json` is added for commands that print a document. */
async function openstack(...args: string[]): Promise<Record<string, unknown>> {
  const stdout = await openstackRaw(...args, '-f', 'json');
  return stdout.trim() ? (JSON.parse(stdout) as Record<string, unknown>) : {};
}

async function openstackRaw(...args: string[]): Promise<string> {
  const env = {
    ...process.env,
    OS_AUTH_URL: `${api.endpoints.identity}/v3`,
    OS_IDENTITY_API_VERSION: '3',
    OS_USERNAME: 'admin',
    OS_PASSWORD: 'admin-secret',
    OS_PROJECT_NAME: 'admin',
    OS_USER_DOMAIN_NAME: 'Default',
    OS_PROJECT_DOMAIN_NAME: 'Default',
    OS_INTERFACE: 'public',
  };
  const { stdout } = await run('openstack', args, { env, timeout: 120_000 });
  return stdout;
}

beforeAll(async () => {
  sim = await startVcsim();
  dir = mkdtempSync(join(tmpdir(), 'nubo-vmware-e2e-'));
  driver = new VMwareDriver({
    url: sim.sdkUrl,
    ca: sim.ca,
    username: 'nubo',
    password: 'secret',
    datacenter: 'DC0',
    computeResource: 'DC0_C0',
    datastore: 'LocalDS_0',
  });
  cloud = await Cloud.start({
    database: { url: `sqlite:${join(dir, 'nubo.sqlite')}` },
    imageDataDir: join(dir, 'images'),
    logger: silentLogger,
    computeHosts: [{ host: 'vmware-1', driver }],
    bootstrap: { adminUser: 'admin', adminPassword: 'admin-secret', adminProject: 'admin' },
  });
  api = await startOpenStackApi(cloud, { ports: { identity: 0, compute: 0, image: 0 }, logger: silentLogger });
});

afterAll(async () => {
  await api?.close();
  await cloud?.stop();
  await sim?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('openstack CLI → Nubo → vSphere (vcsim)', () => {
  it('openstack server create --wait boots a VM in the simulator; server delete --wait removes it', async () => {
    const file = join(dir, 'tiny.raw');
    writeFileSync(file, Buffer.alloc(512 * 1024, 1));
    await openstack('image', 'create', '--disk-format', 'raw', '--container-format', 'bare', '--public', '--file', file, 'tiny-raw');

    const server = await openstack('server', 'create', '--flavor', 'm1.tiny', '--image', 'tiny-raw', '--wait', 'web-1');
    expect(server.status).toBe('ACTIVE');
    const uuid = String(server.id);

    const ref = await findByUuid(driver.vim.conn, driver.vim.searchIndex, uuid, { instanceUuid: true });
    expect(ref).toBeDefined();
    const vm = await retrieveOne(driver.vim.conn, driver.vim.propertyCollector, ref!, [
      'name',
      'runtime.powerState',
      'summary.config.memorySizeMB',
      'summary.config.numCpu',
    ]);
    expect(propString(vm!, 'name')).toBe(uuid);
    expect(propString(vm!, 'runtime.powerState')).toBe('poweredOn');
    expect(propNumber(vm!, 'summary.config.memorySizeMB')).toBe(512);
    expect(propNumber(vm!, 'summary.config.numCpu')).toBe(1);

    await openstackRaw('server', 'delete', '--wait', uuid);
    expect(await findByUuid(driver.vim.conn, driver.vim.searchIndex, uuid, { instanceUuid: true })).toBeUndefined();
  }, 240_000);
});
