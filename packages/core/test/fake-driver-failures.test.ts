import { describe, expect, it, vi } from 'vitest';
import { DriverError, PowerState } from '@nubo/core';
import { sampleInstanceSpec, sampleSpawnRequest } from '@nubo/core/testing';
import { FakeDriver, type FakeDriverOptions } from '../src/drivers/fake/index.js';

async function fakeHost(options: FakeDriverOptions = {}): Promise<FakeDriver> {
  const driver = new FakeDriver(options);
  await driver.init('compute-1');
  return driver;
}

/** Spawns `n` guests one after another; returns which attempts failed (1-based) and the errors. */
async function spawnMany(driver: FakeDriver, n: number, name = (i: number) => `guest-${i}`) {
  const failed: number[] = [];
  const errors: unknown[] = [];
  for (let i = 1; i <= n; i++) {
    const uuid = `${name(i)}-${crypto.randomUUID()}`;
    await driver.spawn(sampleSpawnRequest(sampleInstanceSpec(uuid))).catch((err: unknown) => {
      failed.push(i);
      errors.push(err);
    });
  }
  return { failed, errors };
}

describe('FakeDriver failure injection', () => {
  it('fails exactly the nth spawn with a retryable DriverError and leaves nothing of it behind', async () => {
    const driver = await fakeHost();
    const handle = driver.failSpawn({ nth: 2 });
    const { failed, errors } = await spawnMany(driver, 4);
    expect(failed).toEqual([2]);
    expect(errors[0]).toBeInstanceOf(DriverError);
    expect((errors[0] as DriverError).retryable).toBe(true);
    expect(handle.triggered).toBe(1);
    expect(await driver.listInstances()).toHaveLength(3);
    expect(driver.usage().instances).toBe(3);
  });

  it('fails count consecutive spawns from nth on', async () => {
    const driver = await fakeHost();
    driver.failSpawn({ nth: 2, count: 2, message: 'disk full', retryable: false });
    const { failed, errors } = await spawnMany(driver, 5);
    expect(failed).toEqual([2, 3]);
    expect(errors.map((e) => [(e as DriverError).message, (e as DriverError).retryable])).toEqual([['disk full', false], ['disk full', false]]);
  });

  it('fails every spawn on a broken host until the failure is cancelled', async () => {
    const driver = await fakeHost();
    const handle = driver.failSpawn({ always: true });
    expect((await spawnMany(driver, 3)).failed).toEqual([1, 2, 3]);
    handle.cancel();
    expect((await spawnMany(driver, 2)).failed).toEqual([]);
    expect(handle.triggered).toBe(3);
  });

  it('counts only the instances a match accepts', async () => {
    const driver = await fakeHost();
    driver.failSpawn({ always: true, match: (uuid) => uuid.startsWith('doomed') });
    const { failed } = await spawnMany(driver, 4, (i) => (i % 2 === 0 ? 'doomed' : 'fine'));
    expect(failed).toEqual([2, 4]);
  });

  it('clearFailures disarms everything', async () => {
    const driver = await fakeHost();
    driver.failSpawn({ always: true });
    driver.failOperation('powerOff', { always: true });
    driver.clearFailures();
    expect((await spawnMany(driver, 1)).failed).toEqual([]);
    const [uuid] = await driver.listInstances();
    await driver.powerOff(uuid!);
    expect((await driver.getInfo(uuid!)).state).toBe(PowerState.SHUTDOWN);
  });

  it('makes other operations fail too, with the guest left in its state', async () => {
    const driver = await fakeHost();
    await spawnMany(driver, 1);
    const [uuid] = await driver.listInstances();
    driver.failOperation('powerOff', { message: 'qemu hung' });
    await expect(driver.powerOff(uuid!)).rejects.toThrow('qemu hung');
    expect((await driver.getInfo(uuid!)).state).toBe(PowerState.RUNNING);
    await driver.powerOff(uuid!);
    expect((await driver.getInfo(uuid!)).state).toBe(PowerState.SHUTDOWN);
  });

  it('refuses nonsense positions', async () => {
    const driver = await fakeHost();
    expect(() => driver.failSpawn({ nth: 0 })).toThrow(RangeError);
    expect(() => driver.failSpawn({ count: 1.5 })).toThrow(RangeError);
  });
});

describe('FakeDriver slow operations and cancellation', () => {
  it('a spawn aborted while it waits rejects with the abort reason and leaves nothing behind', async () => {
    const driver = await fakeHost({ delaysMs: { spawn: 60_000 } });
    const uuid = crypto.randomUUID();
    const abort = new AbortController();
    const spawning = driver.spawn(sampleSpawnRequest(sampleInstanceSpec(uuid)), abort.signal);
    expect(driver.usage().instances).toBe(1);
    const reason = new Error('instance deleted while building');
    abort.abort(reason);
    await expect(spawning).rejects.toBe(reason);
    expect(await driver.listInstances()).toEqual([]);
    expect(driver.usage()).toEqual({ vcpus: 0, memoryMb: 0, localGb: 0, instances: 0 });
  });

  it('destroying an instance while it builds cancels the build with a non-retryable DriverError', async () => {
    const driver = await fakeHost({ delaysMs: { spawn: 60_000 } });
    const uuid = crypto.randomUUID();
    const spawning = driver.spawn(sampleSpawnRequest(sampleInstanceSpec(uuid)));
    await driver.destroy(uuid);
    const err = await spawning.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect((err as DriverError).retryable).toBe(false);
    expect(await driver.listInstances()).toEqual([]);
  });

  it('a build in progress is not listed yet, and a second spawn of it is refused', async () => {
    const driver = await fakeHost({ delaysMs: { spawn: 20 } });
    const request = sampleSpawnRequest(sampleInstanceSpec(crypto.randomUUID()));
    const spawning = driver.spawn(request);
    expect(await driver.listInstances()).toEqual([]);
    await expect(driver.spawn(request)).rejects.toThrow(/already exists/);
    await spawning;
    expect(await driver.listInstances()).toEqual([request.instance.uuid]);
  });

  it('a delay set at run time holds the next spawn back for that long', async () => {
    vi.useFakeTimers();
    try {
      const driver = await fakeHost();
      driver.setDelay('spawn', 1_000);
      const request = sampleSpawnRequest(sampleInstanceSpec(crypto.randomUUID()));
      const spawning = driver.spawn(request);
      await vi.advanceTimersByTimeAsync(999);
      expect(await driver.listInstances()).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      await spawning;
      expect(await driver.listInstances()).toEqual([request.instance.uuid]);
    } finally {
      vi.useRealTimers();
    }
  });
});
