import { expect, it } from 'vitest';
import { NotImplementedByDriver } from '../../errors.js';
import { PowerState } from '../../model/instance-state.js';
import type { ResolvedConformanceOptions } from './driver-conformance-options.js';
import type { DriverHarness } from './driver-harness.js';
import { RecordingSnapshotTarget } from './recording-snapshot-target.js';

/** Snapshot, resize and consoles: done when declared, refused with NotImplementedByDriver when not. */
export function registerOptionalOperationChecks(h: DriverHarness, o: ResolvedConformanceOptions): void {
  it('snapshot uploads the disk and the guest keeps running (NotImplementedByDriver when unsupported)', async () => {
    const { uuid } = await h.spawn();
    const target = new RecordingSnapshotTarget();
    if (!h.driver.capabilities.supportsSnapshot) {
      await expect(h.driver.snapshot(uuid, target)).rejects.toBeInstanceOf(NotImplementedByDriver);
      expect(target.uploads).toHaveLength(0);
      return;
    }
    await h.driver.snapshot(uuid, target);
    expect(target.uploads).toHaveLength(1);
    const [upload] = target.uploads;
    expect(upload!.bytes.byteLength).toBeGreaterThan(0);
    expect(upload!.diskFormat.length).toBeGreaterThan(0);
    expect(upload!.containerFormat.length).toBeGreaterThan(0);
    expect(await h.state(uuid)).toBe(PowerState.RUNNING);
  }, o.testMs);

  it('resize applies the new flavor, confirm keeps it, revert restores the old one (NotImplementedByDriver when unsupported)', async () => {
    const { uuid, spec } = await h.spawn();
    const bigger = o.resizedSpec(spec);
    if (!h.driver.capabilities.supportsResize) {
      await expect(h.driver.resize(uuid, bigger)).rejects.toBeInstanceOf(NotImplementedByDriver);
      expect((await h.driver.getInfo(uuid)).memoryMb).toBe(spec.memoryMb);
      return;
    }
    await h.driver.resize(uuid, bigger);
    const resized = await h.driver.getInfo(uuid);
    expect([resized.memoryMb, resized.vcpus]).toEqual([bigger.memoryMb, bigger.vcpus]);
    await h.driver.confirmResize(uuid);
    const confirmed = await h.driver.getInfo(uuid);
    expect([confirmed.memoryMb, confirmed.vcpus]).toEqual([bigger.memoryMb, bigger.vcpus]);

    const again = await h.spawn();
    await h.driver.resize(again.uuid, o.resizedSpec(again.spec));
    await h.driver.revertResize(again.uuid, again.spec);
    const reverted = await h.driver.getInfo(again.uuid);
    expect([reverted.memoryMb, reverted.vcpus]).toEqual([again.spec.memoryMb, again.spec.vcpus]);
    expect(await h.driver.listInstances()).toContain(again.uuid);
  }, o.testMs);

  it('a console is offered exactly when supportsConsole is declared', async () => {
    const { uuid } = await h.spawn();
    const getConsole = h.driver.getConsole?.bind(h.driver);
    if (!h.driver.capabilities.supportsConsole) {
      if (getConsole) await expect(getConsole(uuid, 'vnc')).rejects.toBeInstanceOf(NotImplementedByDriver);
      else expect(h.driver.getConsole).toBeUndefined();
      return;
    }
    expect(getConsole).toBeTypeOf('function');
    const endpoints = await Promise.all((['vnc', 'spice', 'serial'] as const).map((kind) =>
      getConsole!(uuid, kind).catch((err: unknown) => {
        if (err instanceof NotImplementedByDriver) return null;
        throw err;
      })));
    const offered = endpoints.filter((e) => e !== null);
    expect(offered.length).toBeGreaterThan(0);
    for (const e of offered) {
      expect(e.host.length).toBeGreaterThan(0);
      expect(Number.isInteger(e.port) && e.port > 0 && e.port < 65536).toBe(true);
    }
  }, o.testMs);

  it('volume attach methods exist exactly when supportsVolumeAttach is declared', async () => {
    const declared = h.driver.capabilities.supportsVolumeAttach;
    const hasMethods = typeof h.driver.attachVolume === 'function' && typeof h.driver.detachVolume === 'function';
    if (declared) {
      expect(hasMethods).toBe(true);
      return;
    }
    const { uuid } = await h.spawn();
    if (h.driver.attachVolume) {
      await expect(h.driver.attachVolume(uuid, { volumeId: 'v', connection: {}, device: null })).rejects.toBeInstanceOf(NotImplementedByDriver);
    } else {
      expect(h.driver.attachVolume).toBeUndefined();
    }
  }, o.testMs);
}
