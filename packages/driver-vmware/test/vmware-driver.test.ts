import { Conflict, DriverError, NotFound, NotImplementedByDriver, PowerState, type InstanceSpec, type SpawnRequest } from '@nubo/core';
import { brokenImageSource, bytesImageSource, sampleImageBytes } from '@nubo/core/testing';
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VMwareDriver, type VMwareDriverOptions } from '../src/index.js';
import {
  datastoreFileExists,
  decodeVirtualDisks,
  destroy_Task,
  powerOffVM_Task,
  powerOnVM_Task,
  findByInventoryPath,
  findByUuid,
  logout,
  VimClient,
  prop,
  propMoRef,
  propNumber,
  propOptionValues,
  propString,
  readDatastoreFile,
  retrieveOne,
  type ManagedObjectReference,
} from '../src/vim/index.js';
import { startVcsim, type Vcsim } from '../src/vcsim.js';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function collect(data: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const c of data) chunks.push(c);
  return Buffer.concat(chunks);
}

let sim: Vcsim;
let driver: VMwareDriver;
let options: VMwareDriverOptions;

beforeAll(async () => {
  sim = await startVcsim();
  options = {
    url: sim.sdkUrl,
    ca: sim.ca,
    username: 'nubo',
    password: 'secret',
    datacenter: 'DC0',
    computeResource: 'DC0_C0',
    datastore: 'LocalDS_0',
  };
  driver = new VMwareDriver(options);
  await driver.init('compute-vmware-1');
});
afterAll(async () => {
  await driver?.close();
  await sim?.stop();
});

function spec(overrides: Partial<InstanceSpec> = {}): InstanceSpec {
  return {
    uuid: randomUUID(),
    name: 'web-1',
    projectId: 'p1',
    memoryMb: 512,
    vcpus: 1,
    rootGb: 1,
    ephemeralGb: 0,
    swapMb: 0,
    metadata: {},
    keyData: null,
    userData: null,
    ...overrides,
  };
}

function request(instance: InstanceSpec, macs: string[] = []): SpawnRequest {
  return {
    instance,
    image: null,
    network: macs.map((mac, i) => ({
      networkId: `net-${i}`,
      label: 'private',
      address: `10.0.0.${10 + i}`,
      macAddress: mac,
      gateway: '10.0.0.1',
      cidr: '10.0.0.0/24',
    })),
    blockDevices: [],
  };
}

/** Reads a VM's properties straight from the simulator, bypassing the driver's own logic. */
async function inventory(uuid: string, paths: string[]) {
  const ref = await findByUuid(driver.vim.conn, driver.vim.searchIndex, uuid, { instanceUuid: true });
  if (!ref) return undefined;
  return retrieveOne(driver.vim.conn, driver.vim.propertyCollector, ref, paths);
}

async function powerStateInSimulator(uuid: string): Promise<string | undefined> {
  const c = await inventory(uuid, ['runtime.powerState']);
  return c && propString(c, 'runtime.powerState');
}

describe('VMwareDriver on vcsim', () => {
  it('reports the cluster as a vCenter hypervisor with its hosts\' threads, memory and datastore capacity', async () => {
    const r = await driver.getAvailableResources();
    expect(r.hypervisorType).toBe('VMware vCenter Server');
    expect(r.hypervisorVersion).toBe(6_005_000);
    expect(r.hostIp).toBe('127.0.0.1');
    // The simulator's cluster DC0_C0 has three identical hosts.
    const cluster = await findByInventoryPath(driver.vim.conn, driver.vim.searchIndex, 'DC0/host/DC0_C0/DC0_C0_H0');
    const host = await retrieveOne(driver.vim.conn, driver.vim.propertyCollector, cluster!, ['summary.hardware']);
    const hw = prop(host!, 'summary.hardware')!;
    const threads = Number(hw.children.find((c) => c.name === 'numCpuThreads')!.text);
    const memory = Number(hw.children.find((c) => c.name === 'memorySize')!.text);
    expect(r.vcpus).toBe(3 * threads);
    expect(r.memoryMb).toBe(Math.floor((3 * memory) / 2 ** 20));
    expect(r.localGb).toBeGreaterThan(0);
    expect(r.supportedInstances).toContainEqual(['x86_64', 'vmware', 'hvm']);
  });

  it('spawns a running VM named and tagged by the instance UUID, sized by the flavor, in the cluster pool and VM folder', async () => {
    const s = spec({ vcpus: 2, memoryMb: 1024, rootGb: 2, ephemeralGb: 1, swapMb: 256 });
    await driver.spawn(request(s, ['fa:16:3e:00:00:01']));
    const c = await inventory(s.uuid, [
      'name',
      'parent',
      'resourcePool',
      'runtime.powerState',
      'summary.config.numCpu',
      'summary.config.memorySizeMB',
      'config.extraConfig',
      'config.annotation',
      'config.hardware.device',
      'config.files.vmPathName',
    ]);
    expect(c).toBeDefined();
    expect(propString(c!, 'name')).toBe(s.uuid);
    expect(propString(c!, 'runtime.powerState')).toBe('poweredOn');
    expect(propNumber(c!, 'summary.config.numCpu')).toBe(2);
    expect(propNumber(c!, 'summary.config.memorySizeMB')).toBe(1024);
    expect(propOptionValues(c!, 'config.extraConfig')).toContainEqual({ key: 'nubo.instance-uuid', value: s.uuid });
    expect(propString(c!, 'config.annotation')).toContain('name:web-1');
    expect(propString(c!, 'config.files.vmPathName')).toMatch(/^\[LocalDS_0\] /);
    const pool = await findByInventoryPath(driver.vim.conn, driver.vim.searchIndex, 'DC0/host/DC0_C0/Resources');
    const folder = await findByInventoryPath(driver.vim.conn, driver.vim.searchIndex, 'DC0/vm');
    expect(propMoRef(c!, 'resourcePool')).toEqual(pool);
    expect(propMoRef(c!, 'parent')).toEqual(folder);
    const disks = decodeVirtualDisks(prop(c!, 'config.hardware.device'));
    expect(disks.map((d) => [d.unitNumber, d.capacityKb])).toEqual([
      [0, 2 * 1024 * 1024],
      [1, 1 * 1024 * 1024],
      [2, 256 * 1024],
    ]);
    const macs = prop(c!, 'config.hardware.device')!
      .children.filter((d) => d.xsiType === 'VirtualVmxnet3')
      .map((d) => d.children.find((x) => x.name === 'macAddress')?.text);
    expect(macs).toEqual(['fa:16:3e:00:00:01']);

    expect(await driver.listInstances()).toContain(s.uuid);
    expect(await driver.getInfo(s.uuid)).toEqual({ state: PowerState.RUNNING, vcpus: 2, memoryMb: 1024, cpuTimeNs: 0 });
    await driver.destroy(s.uuid);
  });

  it('hands cloud-init its metadata, SSH key, static address and user data through guestinfo', async () => {
    const s = spec({ name: 'db 1', keyData: 'ssh-ed25519 AAAA test@nubo', userData: Buffer.from('#!/bin/sh\necho hi\n').toString('base64') });
    await driver.spawn(request(s, ['fa:16:3e:00:00:09']));
    const c = await inventory(s.uuid, ['config.extraConfig']);
    const opts = Object.fromEntries(propOptionValues(c!, 'config.extraConfig').map((o) => [o.key, o.value]));
    expect(opts['guestinfo.metadata.encoding']).toBe('base64');
    const metadata = JSON.parse(Buffer.from(opts['guestinfo.metadata']!, 'base64').toString('utf8'));
    expect(metadata).toEqual({
      'instance-id': s.uuid,
      'local-hostname': 'db-1',
      'public-keys': ['ssh-ed25519 AAAA test@nubo'],
      network: {
        version: 2,
        ethernets: { nic0: { match: { macaddress: 'fa:16:3e:00:00:09' }, addresses: ['10.0.0.10/24'], gateway4: '10.0.0.1' } },
      },
    });
    expect(Buffer.from(opts['guestinfo.userdata']!, 'base64').toString('utf8')).toBe('#!/bin/sh\necho hi\n');
    await driver.destroy(s.uuid);
  });

  it('lists only its own instances, not the VMs the simulator came with', async () => {
    const s = spec();
    await driver.spawn(request(s));
    const listed = await driver.listInstances();
    expect(listed).toEqual([s.uuid]);
    await driver.destroy(s.uuid);
    expect(await driver.listInstances()).toEqual([]);
  });

  it('powers off, on, reboots, suspends and resumes, each visible in the simulator', async () => {
    const s = spec();
    await driver.spawn(request(s));
    await driver.powerOff(s.uuid);
    expect(await powerStateInSimulator(s.uuid)).toBe('poweredOff');
    expect((await driver.getInfo(s.uuid)).state).toBe(PowerState.SHUTDOWN);
    await expect(driver.powerOff(s.uuid)).rejects.toThrow(Conflict);
    await expect(driver.reboot(s.uuid, 'SOFT')).rejects.toThrow(Conflict);
    await driver.powerOn(s.uuid);
    expect(await powerStateInSimulator(s.uuid)).toBe('poweredOn');
    await expect(driver.powerOn(s.uuid)).rejects.toThrow(Conflict);
    await driver.reboot(s.uuid, 'SOFT');
    await driver.reboot(s.uuid, 'HARD');
    expect(await powerStateInSimulator(s.uuid)).toBe('poweredOn');
    await driver.suspend(s.uuid);
    expect(await powerStateInSimulator(s.uuid)).toBe('suspended');
    expect((await driver.getInfo(s.uuid)).state).toBe(PowerState.SUSPENDED);
    await expect(driver.suspend(s.uuid)).rejects.toThrow(Conflict);
    await driver.resume(s.uuid);
    expect(await powerStateInSimulator(s.uuid)).toBe('poweredOn');
    // A hard reboot starts a guest that is off, as Nova's does.
    await driver.powerOff(s.uuid);
    await driver.reboot(s.uuid, 'HARD');
    expect(await powerStateInSimulator(s.uuid)).toBe('poweredOn');
    await expect(driver.pause(s.uuid)).rejects.toThrow(NotImplementedByDriver);
    await driver.destroy(s.uuid);
  });

  it('resizes vCPUs, memory and disks, and a revert puts vCPUs and memory back', async () => {
    const s = spec({ vcpus: 1, memoryMb: 512, rootGb: 1 });
    await driver.spawn(request(s));
    const bigger = { ...s, vcpus: 4, memoryMb: 4096, rootGb: 10 };
    await driver.resize(s.uuid, bigger);
    let c = await inventory(s.uuid, ['summary.config.numCpu', 'summary.config.memorySizeMB', 'config.hardware.device', 'runtime.powerState']);
    expect(propNumber(c!, 'summary.config.numCpu')).toBe(4);
    expect(propNumber(c!, 'summary.config.memorySizeMB')).toBe(4096);
    expect(decodeVirtualDisks(prop(c!, 'config.hardware.device'))[0]!.capacityKb).toBe(10 * 1024 * 1024);
    expect(propString(c!, 'runtime.powerState')).toBe('poweredOn');
    await driver.revertResize(s.uuid, s);
    c = await inventory(s.uuid, ['summary.config.numCpu', 'summary.config.memorySizeMB']);
    expect(propNumber(c!, 'summary.config.numCpu')).toBe(1);
    expect(propNumber(c!, 'summary.config.memorySizeMB')).toBe(512);
    await driver.resize(s.uuid, { ...bigger, rootGb: 20 });
    await driver.confirmResize(s.uuid);
    await expect(driver.resize(s.uuid, { ...bigger, rootGb: 1 })).rejects.toThrow(/cannot shrink/);
    await driver.destroy(s.uuid);
  });

  it('writes a raw image into the root disk, and a snapshot uploads that disk back and removes the VM snapshot', async () => {
    const s = spec();
    const imageBytes = sampleImageBytes(100_000);
    await driver.spawn({ ...request(s), image: bytesImageSource(imageBytes, { id: 'img-0' }) });
    const c0 = await inventory(s.uuid, ['config.hardware.device']);
    const root = decodeVirtualDisks(prop(c0!, 'config.hardware.device'))[0]!;
    const onDisk = await collect(await readDatastoreFile(driver.vim.conn, 'DC0', root.fileName.replace(/\.vmdk$/, '-flat.vmdk')));
    expect(sha256(onDisk)).toBe(sha256(imageBytes));
    const uploads: { sha: string; format: { diskFormat: string; containerFormat: string } }[] = [];
    await driver.snapshot(s.uuid, {
      imageId: 'img-1',
      async upload(data, format) {
        uploads.push({ sha: sha256(await collect(data)), format });
      },
    });
    expect(uploads).toEqual([{ sha: sha256(imageBytes), format: { diskFormat: 'raw', containerFormat: 'bare' } }]);
    expect(await powerStateInSimulator(s.uuid)).toBe('poweredOn');
    const c = await inventory(s.uuid, ['snapshot']);
    expect(c && prop(c, 'snapshot')).toBeUndefined();
    await driver.destroy(s.uuid);
  });

  it('destroys a VM and its files; destroying again or a VM that never existed succeeds', async () => {
    const s = spec();
    await driver.spawn(request(s));
    await driver.destroy(s.uuid);
    expect(await inventory(s.uuid, ['name'])).toBeUndefined();
    expect(await findByInventoryPath(driver.vim.conn, driver.vim.searchIndex, `DC0/vm/${s.uuid}`)).toBeUndefined();
    await driver.destroy(s.uuid);
    await driver.destroy(randomUUID());
  });

  it('answers NotFound for an unknown instance, and for one deleted behind its back', async () => {
    const missing = randomUUID();
    await expect(driver.getInfo(missing)).rejects.toThrow(NotFound);
    await expect(driver.powerOn(missing)).rejects.toThrow(NotFound);
    const s = spec();
    await driver.spawn(request(s));
    // Someone deletes the VM in vSphere directly.
    const ref = (await findByUuid(driver.vim.conn, driver.vim.searchIndex, s.uuid, { instanceUuid: true })) as ManagedObjectReference;
    await driver.vim.waitForTask(await powerOffVM_Task(driver.vim.conn, ref));
    await driver.vim.waitForTask(await destroy_Task(driver.vim.conn, ref));
    await expect(driver.getInfo(s.uuid)).rejects.toThrow(NotFound);
    await expect(driver.reboot(s.uuid, 'HARD')).rejects.toThrow(NotFound);
  });

  it('reports power changes made outside Nubo (an operator in vSphere) as lifecycle events', async () => {
    const s = spec();
    const seen: string[] = [];
    const sub = driver.lifecycleEvents.subscribe((e) => {
      if (e.instanceUuid === s.uuid) seen.push(e.transition);
    });
    const waitFor = async (n: number) => {
      for (let i = 0; i < 200 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 50));
    };
    await driver.spawn(request(s));
    await waitFor(1);
    try {
      const ref = (await findByUuid(driver.vim.conn, driver.vim.searchIndex, s.uuid, { instanceUuid: true }))!;
      await driver.vim.waitForTask(await powerOffVM_Task(driver.vim.conn, ref));
      await driver.vim.waitForTask(await powerOnVM_Task(driver.vim.conn, ref));
      await waitFor(3);
      expect(seen).toEqual(['started', 'stopped', 'started']);
      // VMs that are not Nubo's (the simulator's own) never show up.
      const other = (await findByInventoryPath(driver.vim.conn, driver.vim.searchIndex, 'DC0/vm/DC0_C0_RP0_VM0'))!;
      const all: string[] = [];
      const sub2 = driver.lifecycleEvents.subscribe((e) => all.push(e.instanceUuid));
      await driver.vim.waitForTask(await powerOffVM_Task(driver.vim.conn, other));
      await driver.powerOff(s.uuid);
      for (let i = 0; i < 200 && all.length < 1; i++) await new Promise((r) => setTimeout(r, 50));
      sub2.unsubscribe();
      expect(all).toEqual([s.uuid]);
    } finally {
      sub.unsubscribe();
    }
    await driver.destroy(s.uuid);
  });

  it('keeps reporting power changes after its vSphere session was ended behind its back', async () => {
    const s = spec();
    const seen: string[] = [];
    const sub = driver.lifecycleEvents.subscribe((e) => {
      if (e.instanceUuid === s.uuid) seen.push(e.transition);
    });
    // The watch notices a dead session when its pending long poll (10 s) returns, then subscribes again.
    const waitFor = async (n: number) => {
      for (let i = 0; i < 600 && seen.length < n; i++) await new Promise((r) => setTimeout(r, 50));
    };
    const operator = await VimClient.connect({ url: sim.sdkUrl, ca: sim.ca, username: 'ops', password: 'x' });
    try {
      await driver.spawn(request(s));
      await waitFor(1);
      await logout(driver.vim.conn, driver.vim.serviceContent.sessionManager!);
      // An operator powers the VM off while the driver's session is gone, later on again.
      const ref = (await findByUuid(operator.conn, operator.searchIndex, s.uuid, { instanceUuid: true }))!;
      await operator.waitForTask(await powerOffVM_Task(operator.conn, ref));
      await waitFor(2);
      await operator.waitForTask(await powerOnVM_Task(operator.conn, ref));
      await waitFor(3);
      expect(seen).toEqual(['started', 'stopped', 'started']);
    } finally {
      sub.unsubscribe();
      await operator.close();
    }
    await driver.destroy(s.uuid);
  }, 90_000);

  it('offers a VNC console per VM on its ESXi host, on distinct ports as Nova allocates them', async () => {
    const a = spec();
    const b = spec();
    await Promise.all([driver.spawn(request(a)), driver.spawn(request(b))]);
    const ca = await driver.getConsole(a.uuid, 'vnc');
    const cb = await driver.getConsole(b.uuid, 'vnc');
    expect(ca.port).not.toBe(cb.port);
    for (const c of [ca, cb]) expect(c.port >= 5900 && c.port <= 6099).toBe(true);
    const vm = await inventory(a.uuid, ['runtime.host', 'config.extraConfig']);
    const host = await retrieveOne(driver.vim.conn, driver.vim.propertyCollector, propMoRef(vm!, 'runtime.host')!, ['name']);
    expect(ca.host).toBe(propString(host!, 'name'));
    expect(propOptionValues(vm!, 'config.extraConfig')).toContainEqual({ key: 'RemoteDisplay.vnc.port', value: String(ca.port) });
    await expect(driver.getConsole(a.uuid, 'spice')).rejects.toThrow(NotImplementedByDriver);
    await expect(driver.getConsole(randomUUID(), 'vnc')).rejects.toThrow(NotFound);
    await driver.destroy(a.uuid);
    await driver.destroy(b.uuid);
  });

  it('refuses a second spawn of the same UUID and leaves the first VM alone', async () => {
    const s = spec();
    await driver.spawn(request(s));
    await expect(driver.spawn(request(s))).rejects.toThrow(Conflict);
    expect((await driver.listInstances()).filter((u) => u === s.uuid)).toHaveLength(1);
    await driver.destroy(s.uuid);
  });
});

describe('VMwareDriver images', () => {
  it('refuses an image that is not raw before creating anything', async () => {
    const s = spec();
    const err = await driver
      .spawn({ ...request(s), image: bytesImageSource(sampleImageBytes(), { id: 'q1', diskFormat: 'qcow2' }) })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect((err as DriverError).retryable).toBe(false);
    expect((err as Error).message).toMatch(/qcow2/);
    expect(await inventory(s.uuid, ['name'])).toBeUndefined();
  });

  it('refuses an image larger than the flavor\'s root disk', async () => {
    const s = spec({ rootGb: 1 });
    const big = bytesImageSource(sampleImageBytes(1024), { id: 'huge', sizeBytes: 2 * 1024 ** 3 });
    await expect(driver.spawn({ ...request(s), image: big })).rejects.toThrow(/larger than the flavor's root disk/);
    expect(await driver.listInstances()).not.toContain(s.uuid);
  });

  it('a download cut short fails the spawn with DriverError and removes the half-built VM', async () => {
    const s = spec();
    await expect(driver.spawn({ ...request(s), image: brokenImageSource() })).rejects.toThrow(DriverError);
    expect(await inventory(s.uuid, ['name'])).toBeUndefined();
    expect(await findByInventoryPath(driver.vim.conn, driver.vim.searchIndex, `DC0/vm/${s.uuid}`)).toBeUndefined();
  });
});

describe('VMwareDriver image cache', () => {
  function countingImage(id: string, bytes: Uint8Array) {
    const source = bytesImageSource(bytes, { id });
    let opens = 0;
    return {
      source: { meta: source.meta, open: () => (opens++, source.open()) },
      opens: () => opens,
    };
  }

  it('downloads an image once into the datastore cache and copies it for every VM', async () => {
    const id = `img-${randomUUID()}`;
    const bytes = sampleImageBytes(50_000);
    const image = countingImage(id, bytes);
    const a = spec();
    const b = spec();
    await Promise.all([driver.spawn({ ...request(a), image: image.source }), driver.spawn({ ...request(b), image: image.source })]);
    const c = spec();
    await driver.spawn({ ...request(c), image: image.source });
    expect(image.opens()).toBe(1);
    const cached = await collect(await readDatastoreFile(driver.vim.conn, 'DC0', `[LocalDS_0] nubo_base/${id}/${id}-flat.vmdk`));
    expect(sha256(cached)).toBe(sha256(bytes));
    for (const s of [a, b, c]) {
      const vm = await inventory(s.uuid, ['config.hardware.device']);
      const root = decodeVirtualDisks(prop(vm!, 'config.hardware.device'))[0]!;
      const flat = await collect(await readDatastoreFile(driver.vim.conn, 'DC0', root.fileName.replace(/\.vmdk$/, '-flat.vmdk')));
      expect(sha256(flat)).toBe(sha256(bytes));
      await driver.destroy(s.uuid);
    }
  });

  it('a download cut short leaves no cache entry, so the next spawn of that image downloads it again', async () => {
    const id = `img-${randomUUID()}`;
    const s = spec();
    await expect(driver.spawn({ ...request(s), image: brokenImageSource({ id }) })).rejects.toThrow(DriverError);
    expect(await datastoreFileExists(driver.vim.conn, 'DC0', `[LocalDS_0] nubo_base/${id}/${id}-flat.vmdk`)).toBe(false);
    const good = countingImage(id, sampleImageBytes(10_000));
    await driver.spawn({ ...request(s), image: good.source });
    expect(good.opens()).toBe(1);
    await driver.destroy(s.uuid);
  });
});

describe('VMwareDriver placement', () => {
  it('drives a standalone host as well as a cluster, each listing only its own VMs', async () => {
    const standalone = new VMwareDriver({ ...options, computeResource: 'DC0_H0' });
    await standalone.init('compute-vmware-2');
    try {
      const r = await standalone.getAvailableResources();
      const cluster = await driver.getAvailableResources();
      expect(r.vcpus).toBeGreaterThan(0);
      expect(r.vcpus * 3).toBe(cluster.vcpus); // one host against the cluster's three identical ones
      expect(r.hypervisorHostname).not.toBe(cluster.hypervisorHostname);
      const s = spec({ name: 'on-host' });
      await standalone.spawn(request(s));
      const c = await inventory(s.uuid, ['resourcePool', 'runtime.host']);
      const pool = await findByInventoryPath(driver.vim.conn, driver.vim.searchIndex, 'DC0/host/DC0_H0/Resources');
      const host = await findByInventoryPath(driver.vim.conn, driver.vim.searchIndex, 'DC0/host/DC0_H0/DC0_H0');
      expect(propMoRef(c!, 'resourcePool')).toEqual(pool);
      expect(propMoRef(c!, 'runtime.host')).toEqual(host);
      expect(await standalone.listInstances()).toEqual([s.uuid]);
      expect(await driver.listInstances()).not.toContain(s.uuid);
      await standalone.destroy(s.uuid);
    } finally {
      await standalone.close();
    }
  });

  it('keeps names with XML metacharacters intact in the annotation', async () => {
    const s = spec({ name: `a<b>&"c'd` });
    await driver.spawn(request(s));
    const c = await inventory(s.uuid, ['config.annotation']);
    expect(propString(c!, 'config.annotation')).toContain(`name:a<b>&"c'd`);
    await driver.destroy(s.uuid);
  });

  it('a spawn cancelled while the image is being written fails and leaves no VM behind', async () => {
    const s = spec();
    const abort = new AbortController();
    const slow = {
      ...bytesImageSource(sampleImageBytes(), { id: 'slow' }),
      async *open() {
        yield sampleImageBytes(4096);
        abort.abort(new Error('build cancelled'));
        throw new Error('download stopped by the cancel');
      },
    };
    await expect(driver.spawn({ ...request(s), image: slow }, abort.signal)).rejects.toThrow(DriverError);
    expect(await inventory(s.uuid, ['name'])).toBeUndefined();
    expect(await driver.listInstances()).not.toContain(s.uuid);
  });
});

describe('VMwareDriver configuration faults', () => {
  it('bad credentials fail init with a non-retryable DriverError naming the problem', async () => {
    const strict = await startVcsim(['-username', 'admin', '-password', 'right']);
    try {
      const d = new VMwareDriver({ ...options, url: strict.sdkUrl, ca: strict.ca, username: 'admin', password: 'wrong' });
      const err = await d.init('h1').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DriverError);
      expect((err as DriverError).retryable).toBe(false);
      expect((err as Error).message).toMatch(/refused the credentials/);
    } finally {
      await strict.stop();
    }
  });

  it('a datastore that does not exist fails init with a DriverError naming it', async () => {
    const d = new VMwareDriver({ ...options, datastore: 'NoSuchDS' });
    const err = await d.init('h1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect((err as Error).message).toMatch(/Datastore NoSuchDS not found/);
  });

  it('the CA can be named by file, as a configuration file does', async () => {
    const d = new VMwareDriver({ ...options, ca: undefined, caFile: sim.caFile, lifecycleEvents: false });
    await d.init('h1');
    expect((await d.getAvailableResources()).vcpus).toBeGreaterThan(0);
    await d.close();
  });

  it('a self-signed certificate is refused unless its CA is configured', async () => {
    const d = new VMwareDriver({ ...options, ca: undefined });
    const err = await d.init('h1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect((err as Error).message).toMatch(/self[- ]signed|certificate/i);
  });
});
