import { expect, it } from 'vitest';
import { Conflict, NotImplementedByDriver } from '../../errors.js';
import { POWER_STATE_NAMES, PowerState } from '../../model/instance-state.js';
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

  for (const pair of REVERSIBLE_PAIRS) registerReversiblePairCheck(h, o, pair);
}

/** An operation and its inverse that a driver may declare support for, e.g. pause and unpause. */
interface ReversiblePair {
  capability: 'supportsPause' | 'supportsSuspend';
  enter: 'pause' | 'suspend';
  leave: 'unpause' | 'resume';
  state: PowerState;
}

const REVERSIBLE_PAIRS: ReversiblePair[] = [
  { capability: 'supportsPause', enter: 'pause', leave: 'unpause', state: PAUSED },
  { capability: 'supportsSuspend', enter: 'suspend', leave: 'resume', state: SUSPENDED },
];

function registerReversiblePairCheck(h: DriverHarness, o: ResolvedConformanceOptions, p: ReversiblePair): void {
  const name = POWER_STATE_NAMES[p.state];
  it(`${p.enter} leaves it ${name} and ${p.leave} RUNNING; ${p.leave} of a running or ${p.enter} of a stopped guest is a Conflict (NotImplementedByDriver when unsupported)`, async () => {
    const { uuid } = await h.spawn();
    const enter = (id: string) => h.driver[p.enter](id);
    const leave = (id: string) => h.driver[p.leave](id);
    if (!h.driver.capabilities[p.capability]) {
      await expect(enter(uuid)).rejects.toBeInstanceOf(NotImplementedByDriver);
      await expect(leave(uuid)).rejects.toBeInstanceOf(NotImplementedByDriver);
      expect(await h.state(uuid)).toBe(RUNNING);
      return;
    }
    await expect(leave(uuid)).rejects.toBeInstanceOf(Conflict);
    expect(await h.state(uuid)).toBe(RUNNING);
    await enter(uuid);
    expect(await h.state(uuid)).toBe(p.state);
    await leave(uuid);
    expect(await h.state(uuid)).toBe(RUNNING);
    await h.driver.powerOff(uuid);
    await expect(enter(uuid)).rejects.toBeInstanceOf(Conflict);
    expect(await h.state(uuid)).toBe(SHUTDOWN);
  }, o.testMs);
}
