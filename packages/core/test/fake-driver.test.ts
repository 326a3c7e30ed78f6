import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { BadRequest, Conflict, DriverError, NotFound, PowerState, ServiceUnavailable, type LifecycleEvent } from '@nubo/core';
import { RecordingSnapshotTarget, bytesImageSource, sampleImageBytes, sampleInstanceSpec, sampleSpawnRequest } from '@nubo/core/testing';
import { FakeDriver, fakeSnapshotBytes, type FakeDriverOptions } from '../src/drivers/fake/index.js';

async function fakeHost(options: FakeDriverOptions = {}, host = 'compute-1'): Promise<FakeDriver> {
  const driver = new FakeDriver(options);
  await driver.init(host);
  return driver;
}

async function spawnGuest(driver: FakeDriver, uuid: string = crypto.randomUUID()): Promise<string> {
  await driver.spawn(sampleSpawnRequest(sampleInstanceSpec(uuid)));
  return uuid;
}

function recordEvents(driver: FakeDriver): LifecycleEvent[] {
  const events: LifecycleEvent[] = [];
  driver.lifecycleEvents.subscribe((e) => events.push(e));
  return events;
}

describe('FakeDriver', () => {
  it('refuses every operation before init, naming the fix', async () => {
    const driver = new FakeDriver();
    await expect(driver.listInstances()).rejects.toBeInstanceOf(ServiceUnavailable);
    await expect(driver.getAvailableResources()).rejects.toThrow(/init\(host\)/);
  });

  it('keeps its guests across close and a new init of the same host, like a hypervisor outliving its compute service', async () => {
    const driver = await fakeHost();
    const uuid = await spawnGuest(driver);
    await driver.close();
    await expect(driver.listInstances()).rejects.toBeInstanceOf(ServiceUnavailable);
    await driver.init('compute-1');
    expect(await driver.listInstances()).toEqual([uuid]);
  });

  it('is initialised for one host only', async () => {
    const driver = await fakeHost();
    await expect(driver.init('compute-2')).rejects.toBeInstanceOf(Conflict);
    expect(driver.hostName).toBe('compute-1');
  });

  it('reads the whole image while spawning and remembers what it built the guest from', async () => {
    const driver = await fakeHost();
    const uuid = crypto.randomUUID();
    const image = bytesImageSource(sampleImageBytes(100_000), { id: 'img-1' }, 4096);
    const network = [{ networkId: 'n1', label: 'private', address: '10.0.0.5', macAddress: 'fa:16:3e:00:00:01', gateway: '10.0.0.1', cidr: '10.0.0.0/24' }];
    await driver.spawn({ instance: sampleInstanceSpec(uuid), image, network, blockDevices: [] });
    expect(driver.guest(uuid)).toMatchObject({ imageId: 'img-1', imageBytesRead: 100_000, network, state: PowerState.RUNNING });
  });

  it('keeps an image once per host, as the image cache of a real driver does: later spawns of it read nothing', async () => {
    const driver = await fakeHost();
    let opens = 0;
    const counted = (checksum: string) => {
      const source = bytesImageSource(sampleImageBytes(50_000), { id: 'img-cached', checksum });
      return { meta: source.meta, open: () => { opens++; return source.open(); } };
    };
    const [a, b, c] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await driver.spawn({ instance: sampleInstanceSpec(a), image: counted('sum-1'), network: [], blockDevices: [] });
    await driver.spawn({ instance: sampleInstanceSpec(b), image: counted('sum-1'), network: [], blockDevices: [] });
    expect(opens).toBe(1);
    expect(driver.guest(b)).toMatchObject({ imageId: 'img-cached', imageBytesRead: 50_000 });
    // Other bytes under the same id (a checksum that differs) are read again.
    await driver.spawn({ instance: sampleInstanceSpec(c), image: counted('sum-2'), network: [], blockDevices: [] });
    expect(opens).toBe(2);
  });

  it('keeps nothing of an image whose read failed: the next spawn reads it again', async () => {
    const driver = await fakeHost();
    let opens = 0;
    const source = bytesImageSource(sampleImageBytes(10_000), { id: 'img-flaky', checksum: 'x' });
    const flaky = { meta: source.meta, open: () => {
      opens++;
      if (opens === 1) return (async function* () { yield new Uint8Array(10); throw new Error('connection reset'); })();
      return source.open();
    } };
    await expect(driver.spawn({ instance: sampleInstanceSpec(crypto.randomUUID()), image: flaky, network: [], blockDevices: [] }))
      .rejects.toBeInstanceOf(DriverError);
    const uuid = crypto.randomUUID();
    await driver.spawn({ instance: sampleInstanceSpec(uuid), image: flaky, network: [], blockDevices: [] });
    expect(opens).toBe(2);
    expect(driver.guest(uuid)).toMatchObject({ imageBytesRead: 10_000 });
  });

  it('boots from a volume without reading any image', async () => {
    const driver = await fakeHost();
    const uuid = crypto.randomUUID();
    const volume = { volumeId: 'vol-1', connection: { path: '/tmp/vol-1' }, device: '/dev/vda' };
    await driver.spawn({ instance: sampleInstanceSpec(uuid), image: null, network: [], blockDevices: [volume] });
    expect(driver.guest(uuid)).toMatchObject({ imageId: null, imageBytesRead: 0, blockDevices: [volume] });
  });

  it('turns an unreadable image into a retryable DriverError and keeps no guest', async () => {
    const driver = await fakeHost();
    const uuid = crypto.randomUUID();
    const image = {
      meta: bytesImageSource(new Uint8Array(1)).meta,
      async *open(): AsyncIterable<Uint8Array> {
        yield new Uint8Array(10);
        throw new Error('connection reset');
      },
    };
    const err = await driver.spawn({ instance: sampleInstanceSpec(uuid), image, network: [], blockDevices: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect((err as DriverError).retryable).toBe(true);
    expect((err as DriverError).message).toMatch(/connection reset/);
    expect(await driver.listInstances()).toEqual([]);
  });

  it('refuses to spawn an instance it already has', async () => {
    const driver = await fakeHost();
    const uuid = await spawnGuest(driver);
    await expect(spawnGuest(driver, uuid)).rejects.toBeInstanceOf(Conflict);
    expect(await driver.listInstances()).toEqual([uuid]);
  });

  it('emits a lifecycle event for every power change, including a hard reboot as stopped then started', async () => {
    const driver = await fakeHost();
    const events = recordEvents(driver);
    const uuid = await spawnGuest(driver);
    await driver.pause(uuid);
    await driver.unpause(uuid);
    await driver.suspend(uuid);
    await driver.resume(uuid);
    await driver.reboot(uuid, 'SOFT');
    await driver.reboot(uuid, 'HARD');
    await driver.powerOff(uuid);
    await driver.powerOff(uuid);
    await driver.destroy(uuid);
    expect(events.map((e) => e.transition)).toEqual([
      'started', 'paused', 'resumed', 'suspended', 'resumed', 'stopped', 'started', 'stopped',
    ]);
    expect(events.every((e) => e.instanceUuid === uuid)).toBe(true);
  });

  it('powering off a stopped guest or on a running one changes nothing (power-state sync relies on it)', async () => {
    const driver = await fakeHost();
    const uuid = await spawnGuest(driver);
    await driver.powerOn(uuid);
    expect((await driver.getInfo(uuid)).state).toBe(PowerState.RUNNING);
    await driver.powerOff(uuid);
    await driver.powerOff(uuid);
    expect((await driver.getInfo(uuid)).state).toBe(PowerState.SHUTDOWN);
  });

  it('refuses to power on a paused guest with Conflict, in Nova wording', async () => {
    const driver = await fakeHost();
    const uuid = await spawnGuest(driver);
    await driver.pause(uuid);
    await expect(driver.powerOn(uuid)).rejects.toThrow(`Instance ${uuid} in power_state PAUSED. Cannot power on while the instance is in this state.`);
  });

  it('a guest shutting itself down is reported as stopped, for power-state sync', async () => {
    const driver = await fakeHost();
    const uuid = await spawnGuest(driver);
    const next = firstValueFrom(driver.lifecycleEvents.pipe(take(1)));
    driver.simulateGuestShutdown(uuid);
    expect(await next).toMatchObject({ instanceUuid: uuid, transition: 'stopped' });
    expect((await driver.getInfo(uuid)).state).toBe(PowerState.SHUTDOWN);
  });

  it('can simulate a crash, an outside start and a guest vanishing from the hypervisor', async () => {
    const driver = await fakeHost();
    const uuid = await spawnGuest(driver);
    const events = firstValueFrom(driver.lifecycleEvents.pipe(take(2), toArray()));
    driver.simulateGuestCrash(uuid);
    expect((await driver.getInfo(uuid)).state).toBe(PowerState.CRASHED);
    driver.simulatePowerChange(uuid, PowerState.RUNNING);
    expect((await events).map((e) => e.transition)).toEqual(['stopped', 'started']);
    driver.simulateGuestVanished(uuid);
    expect(await driver.listInstances()).toEqual([]);
    expect(() => driver.simulateGuestShutdown(uuid)).toThrow(NotFound);
  });

  it('reports more CPU time the longer a guest has run, and none while it was off', async () => {
    let clock = 1_000;
    const driver = await fakeHost({ now: () => clock });
    const uuid = await spawnGuest(driver);
    clock += 2_000;
    expect((await driver.getInfo(uuid)).cpuTimeNs).toBe(2_000 * 1e6);
    await driver.powerOff(uuid);
    clock += 5_000;
    expect((await driver.getInfo(uuid)).cpuTimeNs).toBe(2_000 * 1e6);
  });

  it('tracks flavor sizes through resize, confirm and revert', async () => {
    const driver = await fakeHost();
    const uuid = await spawnGuest(driver);
    const small = driver.guest(uuid)!.spec;
    const big = { ...small, memoryMb: 2048, vcpus: 2, rootGb: 20 };
    await driver.resize(uuid, big);
    expect(driver.guest(uuid)).toMatchObject({ spec: big, resizedFrom: small });
    await expect(driver.resize(uuid, big)).rejects.toBeInstanceOf(Conflict);
    await driver.revertResize(uuid, small);
    expect(driver.guest(uuid)).toMatchObject({ spec: small, resizedFrom: null });
    await expect(driver.confirmResize(uuid)).rejects.toBeInstanceOf(Conflict);
    await expect(driver.resize(uuid, { ...big, uuid: 'other' })).rejects.toBeInstanceOf(BadRequest);
    await driver.pause(uuid);
    await expect(driver.resize(uuid, big)).rejects.toBeInstanceOf(Conflict);
  });

  it('uploads the same deterministic bytes for every snapshot of a guest', async () => {
    const driver = await fakeHost();
    const uuid = await spawnGuest(driver);
    const first = new RecordingSnapshotTarget('snap-1');
    const second = new RecordingSnapshotTarget('snap-2');
    await driver.snapshot(uuid, first);
    await driver.snapshot(uuid, second);
    expect(first.uploads[0]).toEqual({ bytes: fakeSnapshotBytes(uuid), diskFormat: 'raw', containerFormat: 'bare' });
    expect(second.uploads[0]!.bytes).toEqual(first.uploads[0]!.bytes);
  });

  it('attaches and detaches volumes once each', async () => {
    const driver = await fakeHost();
    const uuid = await spawnGuest(driver);
    const volume = { volumeId: 'vol-1', connection: {}, device: '/dev/vdb' };
    await driver.attachVolume(uuid, volume);
    await expect(driver.attachVolume(uuid, volume)).rejects.toBeInstanceOf(Conflict);
    expect(driver.guest(uuid)!.blockDevices).toEqual([volume]);
    await driver.detachVolume(uuid, 'vol-1');
    await expect(driver.detachVolume(uuid, 'vol-1')).rejects.toBeInstanceOf(NotFound);
  });

  it('gives each guest its own console port on the host IP', async () => {
    const driver = await fakeHost({ hostIp: '192.0.2.10' });
    const a = await driver.getConsole(await spawnGuest(driver), 'vnc');
    const b = await driver.getConsole(await spawnGuest(driver), 'vnc');
    expect(a.host).toBe('192.0.2.10');
    expect(a.port).not.toBe(b.port);
  });
});
