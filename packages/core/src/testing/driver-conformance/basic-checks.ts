import { expect, it } from 'vitest';
import { DriverError, NotFound } from '../../errors.js';
import { PowerState } from '../../model/instance-state.js';
import type { ResolvedConformanceOptions } from './driver-conformance-options.js';
import type { DriverHarness } from './driver-harness.js';
import { sampleInstanceSpec } from './sample-spawn-request.js';

/** Spawn, info, listing, destroy, resources: what every driver must do. */
export function registerBasicChecks(h: DriverHarness, o: ResolvedConformanceOptions): void {
  it('reports its hypervisor type and a sane host capacity', async () => {
    expect(typeof h.driver.type).toBe('string');
    expect(h.driver.type.length).toBeGreaterThan(0);
    const r = await h.driver.getAvailableResources();
    expect(r.hypervisorType).toBe(h.driver.type);
    expect(r.hypervisorHostname.length).toBeGreaterThan(0);
    expect(r.hostIp.length).toBeGreaterThan(0);
    expect(Number.isFinite(r.hypervisorVersion)).toBe(true);
    for (const total of [r.vcpus, r.memoryMb, r.localGb]) {
      expect(Number.isFinite(total)).toBe(true);
      expect(total).toBeGreaterThan(0);
    }
    expect(Array.isArray(r.supportedInstances)).toBe(true);
  }, o.testMs);

  it('spawn leaves the guest RUNNING, listed, with the memory and vCPUs it was given', async () => {
    const { uuid, spec } = await h.spawn();
    const info = await h.driver.getInfo(uuid);
    expect(info.state).toBe(PowerState.RUNNING);
    expect(info.memoryMb).toBe(spec.memoryMb);
    expect(info.vcpus).toBe(spec.vcpus);
    expect(info.cpuTimeNs).toBeGreaterThanOrEqual(0);
    expect(await h.driver.listInstances()).toContain(uuid);
  }, o.testMs);

  it('an unknown instance is NotFound for getInfo and every power operation', async () => {
    const unknown = crypto.randomUUID();
    await expect(h.driver.getInfo(unknown)).rejects.toBeInstanceOf(NotFound);
    await expect(h.driver.powerOff(unknown)).rejects.toBeInstanceOf(NotFound);
    await expect(h.driver.powerOn(unknown)).rejects.toBeInstanceOf(NotFound);
    await expect(h.driver.reboot(unknown, 'HARD')).rejects.toBeInstanceOf(NotFound);
    expect(await h.driver.listInstances()).not.toContain(unknown);
  }, o.testMs);

  it('destroy removes the guest; destroying it again, or an instance never seen, succeeds', async () => {
    const { uuid } = await h.spawn();
    await h.driver.destroy(uuid);
    expect(await h.driver.listInstances()).not.toContain(uuid);
    await expect(h.driver.getInfo(uuid)).rejects.toBeInstanceOf(NotFound);
    await expect(h.driver.destroy(uuid)).resolves.toBeUndefined();
    await expect(h.driver.destroy(crypto.randomUUID())).resolves.toBeUndefined();
  }, o.testMs);

  it('a spawn whose signal is already aborted fails and leaves nothing behind', async () => {
    const uuid = h.newUuid();
    const request = await o.spawnRequest(sampleInstanceSpec(uuid));
    const abort = new AbortController();
    abort.abort(new Error('build cancelled by the test'));
    await expect(h.driver.spawn(request, abort.signal)).rejects.toBeDefined();
    expect(await h.driver.listInstances()).not.toContain(uuid);
    await expect(h.driver.getInfo(uuid)).rejects.toBeInstanceOf(NotFound);
  }, o.testMs);

  if (o.failingSpawnRequest) {
    const failing = o.failingSpawnRequest;
    it('a spawn that fails throws DriverError and leaves nothing behind', async () => {
      const uuid = h.newUuid();
      const request = await failing(sampleInstanceSpec(uuid));
      await expect(h.driver.spawn(request)).rejects.toBeInstanceOf(DriverError);
      expect(await h.driver.listInstances()).not.toContain(uuid);
      await expect(h.driver.getInfo(uuid)).rejects.toBeInstanceOf(NotFound);
    }, o.testMs);
  }

  it('guests are independent: powering one off leaves another running, destroying one keeps the other', async () => {
    const a = await h.spawn();
    const b = await h.spawn();
    await h.driver.powerOff(a.uuid);
    expect(await h.state(a.uuid)).toBe(PowerState.SHUTDOWN);
    expect(await h.state(b.uuid)).toBe(PowerState.RUNNING);
    await h.driver.destroy(a.uuid);
    const listed = await h.driver.listInstances();
    expect(listed).not.toContain(a.uuid);
    expect(listed).toContain(b.uuid);
  }, o.testMs);
}
