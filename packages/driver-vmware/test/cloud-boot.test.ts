import { startAllInOneCloud, TEST_ADMIN } from '@nubo/api-openstack/testing';
import { PowerState, type Cloud, type RequestContext, type ServerView } from '@nubo/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VMwareDriver } from '../src/index.js';
import { findByUuid, ManagedObjectNotFoundFault, powerOffVM_Task, powerOnVM_Task, propNumber, propString, retrieveOne, type ObjectContent } from '../src/vim/index.js';
import { startVcsim, type Vcsim } from '../src/vcsim.js';

// The whole boot path of an embedded cloud (API service → scheduler → conductor → compute
// manager) with this driver as the compute host's hypervisor, the simulator as vSphere.

let sim: Vcsim;
let cloud: Cloud;
let driver: VMwareDriver;
let ctx: RequestContext;
let dir: string;
let imageId: string;

beforeAll(async () => {
  sim = await startVcsim();
  dir = mkdtempSync(join(tmpdir(), 'nubo-vmware-cloud-'));
  driver = new VMwareDriver({
    url: sim.sdkUrl,
    ca: sim.ca,
    username: 'nubo',
    password: 'secret',
    datacenter: 'DC0',
    computeResource: 'DC0_C0',
    datastore: 'LocalDS_0',
  });
  cloud = await startAllInOneCloud({ dir, host: 'vmware-1', driver });
  const token = await cloud.identity.authenticatePassword(
    { user: { name: TEST_ADMIN.user, domainId: 'default' }, password: TEST_ADMIN.password },
    { project: { name: TEST_ADMIN.project, domainId: 'default' } },
  );
  ctx = await cloud.authenticate(token.token);
  const image = await cloud.images.create(ctx, {
    name: 'tiny-raw',
    diskFormat: 'raw',
    containerFormat: 'bare',
    visibility: 'public',
  });
  await cloud.images.upload(ctx, image.id, (async function* () {
    yield new Uint8Array(256 * 1024).fill(7);
  })());
  imageId = image.id;
});

afterAll(async () => {
  await cloud?.stop();
  await sim?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function until(uuid: string, want: (v: ServerView) => boolean): Promise<ServerView> {
  let last: ServerView | undefined;
  for (let i = 0; i < 1500; i++) {
    last = await cloud.computeApi.getServer(ctx, uuid);
    if (want(last)) return last;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`server ${uuid} stayed ${last?.status}`);
}

async function vmInSimulator(uuid: string): Promise<ObjectContent | undefined> {
  const ref = await findByUuid(driver.vim.conn, driver.vim.searchIndex, uuid, { instanceUuid: true });
  if (!ref) return undefined;
  // The VM may vanish between the lookup and the read while the delete is under way.
  return retrieveOne(driver.vim.conn, driver.vim.propertyCollector, ref, [
    'name',
    'runtime.powerState',
    'summary.config.numCpu',
    'summary.config.memorySizeMB',
  ]).catch((err: unknown) => {
    if (err instanceof ManagedObjectNotFoundFault) return undefined;
    throw err;
  });
}

describe('an embedded cloud with a VMware compute host', () => {
  it('boots a server from a raw image onto vSphere, stops it and deletes it', async () => {
    const { servers } = await cloud.computeApi.createServers(ctx, { name: 'web', flavorRef: '1', imageRef: imageId });
    const uuid = servers[0]!.instance.uuid;
    const active = await until(uuid, (v) => v.status !== 'BUILD');
    expect(active.status).toBe('ACTIVE');
    expect(active.instance.host).toBe('vmware-1');

    const vm = await vmInSimulator(uuid);
    expect(propString(vm!, 'name')).toBe(uuid);
    expect(propString(vm!, 'runtime.powerState')).toBe('poweredOn');
    expect(propNumber(vm!, 'summary.config.numCpu')).toBe(1);
    expect(propNumber(vm!, 'summary.config.memorySizeMB')).toBe(512);

    await cloud.serverActions.stop(ctx, uuid);
    await until(uuid, (v) => v.status === 'SHUTOFF');
    expect(propString((await vmInSimulator(uuid))!, 'runtime.powerState')).toBe('poweredOff');

    await cloud.computeApi.deleteServer(ctx, uuid);
    for (let i = 0; i < 1500 && (await vmInSimulator(uuid)); i++) await new Promise((r) => setTimeout(r, 20));
    expect(await vmInSimulator(uuid)).toBeUndefined();
  });

  it('notices an operator powering the VM off and on in vSphere, without waiting for the periodic sync', async () => {
    const { servers } = await cloud.computeApi.createServers(ctx, { name: 'ops', flavorRef: '1', imageRef: imageId });
    const uuid = servers[0]!.instance.uuid;
    expect((await until(uuid, (v) => v.status !== 'BUILD')).status).toBe('ACTIVE');

    const ref = (await findByUuid(driver.vim.conn, driver.vim.searchIndex, uuid, { instanceUuid: true }))!;
    await driver.vim.waitForTask(await powerOffVM_Task(driver.vim.conn, ref));
    const off = await until(uuid, (v) => v.status === 'SHUTOFF');
    expect(off.instance.powerState).toBe(PowerState.SHUTDOWN);

    await driver.vim.waitForTask(await powerOnVM_Task(driver.vim.conn, ref));
    const on = await until(uuid, (v) => v.status === 'ACTIVE');
    expect(on.instance.powerState).toBe(PowerState.RUNNING);

    await cloud.computeApi.deleteServer(ctx, uuid);
    for (let i = 0; i < 1500 && (await vmInSimulator(uuid)); i++) await new Promise((r) => setTimeout(r, 20));
    expect(await vmInSimulator(uuid)).toBeUndefined();
  });
});
