import { describe, expect, it } from 'vitest';
import { DriverError } from '@nubo/core';
import { sampleInstanceSpec, sampleSpawnRequest } from '@nubo/core/testing';
import { FakeDriver, type FakeDriverOptions } from '../src/drivers/fake/index.js';

async function fakeHost(options: FakeDriverOptions = {}): Promise<FakeDriver> {
  const driver = new FakeDriver(options);
  await driver.init('compute-1');
  return driver;
}

function spawn(driver: FakeDriver, sizes: { memoryMb: number; vcpus: number; rootGb: number; ephemeralGb?: number; swapMb?: number }) {
  const uuid = crypto.randomUUID();
  return driver.spawn(sampleSpawnRequest(sampleInstanceSpec(uuid, sizes))).then(() => uuid);
}

describe('FakeDriver capacity', () => {
  it('reports the configured host as its available resources', async () => {
    const driver = await fakeHost({
      capacity: { vcpus: 8, memoryMb: 16_384, localGb: 200 }, hypervisorHostname: 'node-a.example', hostIp: '192.0.2.7', hypervisorVersion: 2003,
    });
    expect(await driver.getAvailableResources()).toMatchObject({
      hypervisorHostname: 'node-a.example', hypervisorType: 'fake', hypervisorVersion: 2003, hostIp: '192.0.2.7',
      vcpus: 8, memoryMb: 16_384, localGb: 200, supportedInstances: [['x86_64', 'fake', 'hvm']],
    });
  });

  it("defaults to Nova's fake host size, named after the compute host", async () => {
    const driver = await fakeHost();
    expect(await driver.getAvailableResources()).toMatchObject({
      hypervisorHostname: 'compute-1', hostIp: '127.0.0.1', vcpus: 1000, memoryMb: 800_000, localGb: 600_000,
    });
  });

  it('counts what the guests occupy: root, ephemeral and swap on disk, freed on destroy', async () => {
    const driver = await fakeHost();
    const a = await spawn(driver, { memoryMb: 2048, vcpus: 2, rootGb: 20, ephemeralGb: 5, swapMb: 1024 });
    await spawn(driver, { memoryMb: 512, vcpus: 1, rootGb: 1 });
    expect(driver.usage()).toEqual({ vcpus: 3, memoryMb: 2560, localGb: 27, instances: 2 });
    await driver.destroy(a);
    expect(driver.usage()).toEqual({ vcpus: 1, memoryMb: 512, localGb: 1, instances: 1 });
  });

  it('overcommits by default: the scheduler, not the fake, decides what fits', async () => {
    const driver = await fakeHost({ capacity: { vcpus: 1, memoryMb: 1024, localGb: 10 } });
    await spawn(driver, { memoryMb: 1024, vcpus: 1, rootGb: 10 });
    await spawn(driver, { memoryMb: 1024, vcpus: 1, rootGb: 10 });
    expect(driver.usage().instances).toBe(2);
  });

  it('with enforceCapacity, a guest that does not fit fails with a retryable DriverError until room is freed', async () => {
    const driver = await fakeHost({ capacity: { vcpus: 4, memoryMb: 2048, localGb: 40 }, enforceCapacity: true });
    const first = await spawn(driver, { memoryMb: 1536, vcpus: 1, rootGb: 10 });
    const err = await spawn(driver, { memoryMb: 1024, vcpus: 1, rootGb: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect((err as DriverError).retryable).toBe(true);
    expect((err as DriverError).message).toMatch(/memoryMb/);
    expect(driver.usage().instances).toBe(1);
    await driver.destroy(first);
    await spawn(driver, { memoryMb: 1024, vcpus: 1, rootGb: 10 });
    expect(driver.usage().memoryMb).toBe(1024);
  });

  it('with enforceCapacity, builds in progress hold their room so concurrent spawns cannot overbook', async () => {
    const driver = await fakeHost({ capacity: { vcpus: 2, memoryMb: 4096, localGb: 100 }, enforceCapacity: true, delaysMs: { spawn: 5 } });
    const results = await Promise.allSettled([1, 2, 3].map(() => spawn(driver, { memoryMb: 512, vcpus: 1, rootGb: 1 })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(2);
    expect(await driver.listInstances()).toHaveLength(2);
  });

  it('with enforceCapacity, a resize is checked against the room the guest does not already hold', async () => {
    const driver = await fakeHost({ capacity: { vcpus: 4, memoryMb: 4096, localGb: 100 }, enforceCapacity: true });
    const uuid = await spawn(driver, { memoryMb: 2048, vcpus: 2, rootGb: 10 });
    const spec = driver.guest(uuid)!.spec;
    await expect(driver.resize(uuid, { ...spec, memoryMb: 8192 })).rejects.toBeInstanceOf(DriverError);
    await driver.resize(uuid, { ...spec, memoryMb: 4096, vcpus: 4 });
    expect(driver.usage()).toMatchObject({ memoryMb: 4096, vcpus: 4 });
  });
});
