import { expect, it } from 'vitest';
import { Conflict, NotImplementedByDriver } from '../../errors.js';
import { PowerState } from '../../model/instance-state.js';
import type { ResolvedConformanceOptions } from './driver-conformance-options.js';
import type { DriverHarness } from './driver-harness.js';

const { RUNNING, SHUTDOWN, PAUSED, SUSPENDED } = PowerState;

/** Power operations leave the state they name, refuse what cannot start, or are declared unsupported. */
export function registerPowerChecks(h: DriverHarness, o: ResolvedConformanceOptions): void {
  it('power off leaves the guest SHUTDOWN and power on RUNNING again', async () => {
    const { uuid } = await h.spawn();
    await h.driver.powerOff(uuid);
    expect(await h.state(uuid)).toBe(SHUTDOWN);
    expect(await h.driver.listInstances()).toContain(uuid);
    await h.driver.powerOn(uuid);
    expect(await h.state(uuid)).toBe(RUNNING);
  }, o.testMs);

  it('a hard reboot leaves a running guest RUNNING and starts a shut-down one', async () => {
    const { uuid } = await h.spawn();
    await h.driver.reboot(uuid, 'HARD');
    expect(await h.state(uuid)).toBe(RUNNING);
    await h.driver.powerOff(uuid);
    await h.driver.reboot(uuid, 'HARD');
    expect(await h.state(uuid)).toBe(RUNNING);
  }, o.testMs);

  it('a soft reboot leaves the guest RUNNING (NotImplementedByDriver when unsupported)', async () => {
    const { uuid } = await h.spawn();
    if (h.driver.capabilities.supportsSoftReboot) {
      await h.driver.reboot(uuid, 'SOFT');
    } else {
      await expect(h.driver.reboot(uuid, 'SOFT')).rejects.toBeInstanceOf(NotImplementedByDriver);
    }
    expect(await h.state(uuid)).toBe(RUNNING);
  }, o.testMs);

  it('pause leaves it PAUSED and unpause RUNNING; unpausing a running or pausing a stopped guest is a Conflict (NotImplementedByDriver when unsupported)', async () => {
    const { uuid } = await h.spawn();
    if (!h.driver.capabilities.supportsPause) {
      await expect(h.driver.pause(uuid)).rejects.toBeInstanceOf(NotImplementedByDriver);
      await expect(h.driver.unpause(uuid)).rejects.toBeInstanceOf(NotImplementedByDriver);
      expect(await h.state(uuid)).toBe(RUNNING);
      return;
    }
    await expect(h.driver.unpause(uuid)).rejects.toBeInstanceOf(Conflict);
    expect(await h.state(uuid)).toBe(RUNNING);
    await h.driver.pause(uuid);
    expect(await h.state(uuid)).toBe(PAUSED);
    await h.driver.unpause(uuid);
    expect(await h.state(uuid)).toBe(RUNNING);
    await h.driver.powerOff(uuid);
    await expect(h.driver.pause(uuid)).rejects.toBeInstanceOf(Conflict);
    expect(await h.state(uuid)).toBe(SHUTDOWN);
  }, o.testMs);

  it('suspend leaves it SUSPENDED and resume RUNNING; resuming a running or suspending a stopped guest is a Conflict (NotImplementedByDriver when unsupported)', async () => {
    const { uuid } = await h.spawn();
    if (!h.driver.capabilities.supportsSuspend) {
      await expect(h.driver.suspend(uuid)).rejects.toBeInstanceOf(NotImplementedByDriver);
      await expect(h.driver.resume(uuid)).rejects.toBeInstanceOf(NotImplementedByDriver);
      expect(await h.state(uuid)).toBe(RUNNING);
      return;
    }
    await expect(h.driver.resume(uuid)).rejects.toBeInstanceOf(Conflict);
    expect(await h.state(uuid)).toBe(RUNNING);
    await h.driver.suspend(uuid);
    expect(await h.state(uuid)).toBe(SUSPENDED);
    await h.driver.resume(uuid);
    expect(await h.state(uuid)).toBe(RUNNING);
    await h.driver.powerOff(uuid);
    await expect(h.driver.suspend(uuid)).rejects.toBeInstanceOf(Conflict);
    expect(await h.state(uuid)).toBe(SHUTDOWN);
  }, o.testMs);
}
