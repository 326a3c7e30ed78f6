// LibvirtDriver against the real libvirtd and QEMU (TCG) of this machine.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { firstValueFrom, filter } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequest, Conflict, DriverError, NotFound, PowerState, type ImageSource, type InstanceSpec } from '@nubo/core';
import { bytesImageSource, RecordingSnapshotTarget, sampleInstanceSpec } from '@nubo/core/testing';
import { createBlank, imageInfo, LibvirtDriver, NUBO_XMLNS } from '../src/index.js';
import { bootSectorDisk, bootSectorImage } from './support/boot-sector-image.js';
import { ensureLibvirtd, TEST_PREFIX } from './support/libvirtd.js';

let driver: LibvirtDriver;
let instancesPath: string;

beforeAll(async () => {
  await ensureLibvirtd();
  instancesPath = mkdtempSync('/var/tmp/nubo-libvirt-driver-');
  await chmod(instancesPath, 0o755); // QEMU runs as libvirt-qemu and must enter it
  driver = new LibvirtDriver({ instancesPath, domainPrefix: TEST_PREFIX, virtType: 'qemu', softRebootTimeoutSec: 1 });
  await driver.init('libvirt-test-host');
}, 900_000);

afterAll(async () => {
  for (const uuid of (await driver?.listInstances()) ?? []) await driver.destroy(uuid).catch(() => undefined);
  await driver?.close();
  if (instancesPath) rmSync(instancesPath, { recursive: true, force: true });
});

const spec = (overrides: Partial<InstanceSpec> = {}): InstanceSpec =>
  sampleInstanceSpec(crypto.randomUUID(), { memoryMb: 64, vcpus: 1, rootGb: 1, ...overrides });

const virsh = (...args: string[]) => execFileSync('virsh', ['-c', 'qemu:///system', ...args], { encoding: 'utf8' });

async function waitForLine(path: string, line: string, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = existsSync(path) ? readFileSync(path, 'latin1') : '';
    if (text.includes(line) || Date.now() > deadline) return text;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('LibvirtDriver on a real libvirtd', () => {
  it('boots a real guest whose boot sector writes a line to the serial log, then destroy leaves nothing behind', async () => {
    const s = spec();
    const message = `nubo guest ${s.uuid.slice(0, 8)} is up`;
    await driver.spawn({ instance: s, image: bootSectorImage(message), network: [], blockDevices: [] });

    expect(await waitForLine(driver.consoleLogPath(s.uuid), message)).toContain(message);
    const info = await driver.getInfo(s.uuid);
    expect([info.state, info.memoryMb, info.vcpus]).toEqual([PowerState.RUNNING, 64, 1]);

    // libvirt knows it under Nubo's name, with Nubo's metadata, a qcow2 overlay on the cached image, and VNC on loopback.
    const name = driver.domainName(s.uuid);
    expect(virsh('domstate', name).trim()).toBe('running');
    const xml = virsh('dumpxml', name);
    expect(xml).toContain(NUBO_XMLNS);
    expect(xml).toContain(`<nubo:name>${s.name}</nubo:name>`);
    const disk = join(instancesPath, s.uuid, 'disk');
    const overlay = await imageInfo(disk, { forceShare: true });
    expect(overlay.format).toBe('qcow2');
    expect(overlay.backingFile).toMatch(new RegExp(`^${instancesPath}/_base/boot-`));
    expect(overlay.virtualSize).toBe(1024 ** 3);
    const vnc = await driver.getConsole(s.uuid, 'vnc');
    expect(vnc.host).toBe('127.0.0.1');
    expect(vnc.port).toBeGreaterThanOrEqual(5900);

    await driver.destroy(s.uuid);
    expect(virsh('list', '--all', '--name')).not.toContain(name);
    expect(existsSync(join(instancesPath, s.uuid))).toBe(false);
    await expect(driver.getInfo(s.uuid)).rejects.toBeInstanceOf(NotFound);
  }, 120_000);

  it('gives a flavor with ephemeral disk and swap a disk for each, and reports lifecycle events', async () => {
    const s = spec({ ephemeralGb: 1, swapMb: 32 });
    const started = firstValueFrom(driver.lifecycleEvents.pipe(filter((e) => e.instanceUuid === s.uuid && e.transition === 'started')));
    await driver.spawn({ instance: s, image: bootSectorImage('with extra disks'), network: [], blockDevices: [] });
    expect((await started).at).toBeInstanceOf(Date);
    const xml = virsh('dumpxml', driver.domainName(s.uuid));
    expect(xml).toContain(`${instancesPath}/${s.uuid}/disk.eph0`);
    expect(xml).toContain(`${instancesPath}/${s.uuid}/disk.swap`);
    expect((await imageInfo(join(instancesPath, s.uuid, 'disk.eph0'), { forceShare: true })).virtualSize).toBe(1024 ** 3);
    expect((await imageInfo(join(instancesPath, s.uuid, 'disk.swap'), { forceShare: true })).virtualSize).toBe(32 * 1024 ** 2);
    const stopped = firstValueFrom(driver.lifecycleEvents.pipe(filter((e) => e.instanceUuid === s.uuid && e.transition === 'stopped')));
    await driver.powerOff(s.uuid);
    await stopped;
    await driver.destroy(s.uuid);
  }, 120_000);

  it('refuses an image whose bytes are not the format it claims, and leaves nothing behind', async () => {
    const s = spec();
    const liar = bytesImageSource(new Uint8Array(4096), { id: `liar-${s.uuid.slice(0, 8)}`, diskFormat: 'qcow2' });
    const err = await driver.spawn({ instance: s, image: liar, network: [], blockDevices: [] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DriverError);
    expect((err as DriverError).retryable).toBe(false);
    expect(await driver.listInstances()).not.toContain(s.uuid);
    expect(existsSync(join(instancesPath, s.uuid))).toBe(false);
  }, 60_000);

  it('snapshots a running guest into a standalone qcow2 image that boots another guest', async () => {
    const a = spec();
    const message = `snapshot source ${a.uuid.slice(0, 8)}`;
    await driver.spawn({ instance: a, image: bootSectorImage(message), network: [], blockDevices: [] });
    const target = new RecordingSnapshotTarget(`snap-${a.uuid.slice(0, 8)}`);
    await driver.snapshot(a.uuid, target);
    expect((await driver.getInfo(a.uuid)).state).toBe(PowerState.RUNNING);
    const [upload] = target.uploads;
    expect([upload!.diskFormat, upload!.containerFormat]).toEqual(['qcow2', 'bare']);
    await driver.destroy(a.uuid);

    const b = spec();
    const fromSnapshot = bytesImageSource(upload!.bytes, { id: target.imageId, diskFormat: 'qcow2' });
    await driver.spawn({ instance: b, image: fromSnapshot, network: [], blockDevices: [] });
    expect(await waitForLine(driver.consoleLogPath(b.uuid), message)).toContain(message);
    const cached = await imageInfo(join(instancesPath, '_base', target.imageId), { forceShare: true });
    expect([cached.format, cached.backingFile]).toEqual(['qcow2', null]);
    await driver.destroy(b.uuid);
  }, 180_000);

  it('fetches an image once for guests spawned from it at the same time', async () => {
    const bytes = bootSectorDisk('two at once');
    let opens = 0;
    const source = bytesImageSource(bytes, { id: `once-${crypto.randomUUID().slice(0, 8)}`, diskFormat: 'raw' });
    const image = { meta: source.meta, open: () => { opens++; return source.open(); } };
    const [x, y] = [spec(), spec()];
    await Promise.all([x, y].map((s) => driver.spawn({ instance: s, image, network: [], blockDevices: [] })));
    expect(opens).toBe(1);
    expect(await driver.listInstances()).toEqual(expect.arrayContaining([x.uuid, y.uuid]));
    await Promise.all([x, y].map((s) => driver.destroy(s.uuid)));
  }, 180_000);

  it('attaches a file-backed volume to a running guest and detaches it', async () => {
    const s = spec();
    await driver.spawn({ instance: s, image: bootSectorImage('volume host'), network: [], blockDevices: [] });
    const volume = join(instancesPath, `vol-${s.uuid.slice(0, 8)}.qcow2`);
    await createBlank(volume, 64 * 1024 ** 2);
    const volumeId = crypto.randomUUID();
    await driver.attachVolume(s.uuid, { volumeId, connection: { path: volume, format: 'qcow2' }, device: null });
    const attached = virsh('dumpxml', driver.domainName(s.uuid));
    expect(attached).toContain(`<serial>${volumeId}</serial>`);
    expect(attached).toContain(volume);
    await expect(driver.attachVolume(s.uuid, { volumeId, connection: { path: volume }, device: null })).rejects.toThrow(/already attached/);
    await driver.detachVolume(s.uuid, volumeId);
    // The guest (a boot sector) never answers the unplug request; the persistent definition drops the disk at once.
    expect(virsh('dumpxml', '--inactive', driver.domainName(s.uuid))).not.toContain(volumeId);
    await expect(driver.detachVolume(s.uuid, volumeId)).rejects.toBeInstanceOf(NotFound);
    await driver.destroy(s.uuid);
    expect(existsSync(volume)).toBe(true); // a volume outlives the instance
  }, 120_000);

  it('destroy during a build cancels it and leaves nothing behind; a second spawn of the same instance is a Conflict', async () => {
    const s = spec();
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    let opened!: () => void;
    const openedP = new Promise<void>((r) => { opened = r; });
    const source = bytesImageSource(bootSectorDisk('never booted'), { id: `slow-${s.uuid.slice(0, 8)}` });
    const slow: ImageSource = {
      meta: source.meta,
      async *open() {
        opened();
        await held; // the image service is slow
        yield* source.open();
      },
    };
    const spawning = driver.spawn({ instance: s, image: slow, network: [], blockDevices: [] });
    spawning.catch(() => undefined);
    await openedP;
    await expect(driver.spawn({ instance: s, image: bootSectorImage('dup'), network: [], blockDevices: [] })).rejects.toBeInstanceOf(Conflict);
    await driver.destroy(s.uuid);
    await expect(spawning).rejects.toBeInstanceOf(DriverError);
    release();
    expect(await driver.listInstances()).not.toContain(s.uuid);
    expect(existsSync(join(instancesPath, s.uuid))).toBe(false);
  }, 60_000);

  it('refuses an instance id that is not a UUID, so no path outside the instances directory is touched', async () => {
    const evil = { ...spec(), uuid: '../../etc' };
    await expect(driver.spawn({ instance: evil, image: bootSectorImage('x'), network: [], blockDevices: [] })).rejects.toBeInstanceOf(BadRequest);
    await expect(driver.destroy('../..')).resolves.toBeUndefined();
    expect(existsSync(instancesPath)).toBe(true);
  });

  it('reports the host’s real capacity from node info and capabilities', async () => {
    const r = await driver.getAvailableResources();
    expect(r.hypervisorType).toBe('QEMU');
    expect(r.vcpus).toBe((await import('node:os')).cpus().length);
    expect(r.memoryMb).toBeGreaterThan(0);
    expect(r.localGb).toBeGreaterThan(0);
    expect(r.supportedInstances).toContainEqual(['x86_64', 'qemu', 'hvm']);
    expect(r.cpuInfo).toMatchObject({ arch: 'x86_64' });
    expect(driver.virtType).toBe('qemu');
  });
});
