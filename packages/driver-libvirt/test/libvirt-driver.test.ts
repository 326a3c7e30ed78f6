// LibvirtDriver against the real libvirtd and QEMU (TCG) of this machine.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { firstValueFrom, filter } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriverError, NotFound, PowerState, type InstanceSpec } from '@nubo/core';
import { bytesImageSource, sampleInstanceSpec } from '@nubo/core/testing';
import { imageInfo, LibvirtDriver, NUBO_XMLNS } from '../src/index.js';
import { bootSectorImage } from './support/boot-sector-image.js';
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
