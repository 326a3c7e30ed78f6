import { startDriverCloud, type DriverCloud } from '@nubo/api-openstack/testing';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VMwareDriver } from '../src/index.js';
import { findByUuid, propNumber, propString, retrieveOne } from '../src/vim/index.js';
import { startVcsim, type Vcsim } from '../src/vcsim.js';

// End to end: the real OpenStack CLI against Nubo's APIs, an all-in-one cloud whose only
// compute host is this driver, and vcsim as vSphere.

let sim: Vcsim;
let nubo: DriverCloud;
let driver: VMwareDriver;
let dir: string;

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
  nubo = await startDriverCloud({ dir, host: 'vmware-1', driver, cliTimeoutMs: 120_000 });
});

afterAll(async () => {
  await nubo?.stop();
  await sim?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('openstack CLI → Nubo → vSphere (vcsim)', () => {
  it('openstack server create --wait boots a VM in the simulator; server delete --wait removes it', async () => {
    const file = join(dir, 'tiny.raw');
    writeFileSync(file, Buffer.alloc(512 * 1024, 1));
    await nubo.openstack('image', 'create', '--disk-format', 'raw', '--container-format', 'bare', '--public', '--file', file, 'tiny-raw');

    const server = await nubo.openstack('server', 'create', '--flavor', 'm1.tiny', '--image', 'tiny-raw', '--wait', 'web-1');
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

    await nubo.openstackRaw('server', 'delete', '--wait', uuid);
    expect(await findByUuid(driver.vim.conn, driver.vim.searchIndex, uuid, { instanceUuid: true })).toBeUndefined();
  }, 240_000);
});
