import { expect, it } from 'vitest';
import type { HypervisorDriver, LifecycleEvent, LifecycleTransition } from '../../ports/hypervisor-driver.js';
import type { ResolvedConformanceOptions } from './driver-conformance-options.js';
import type { DriverHarness } from './driver-harness.js';
import { sampleInstanceSpec } from './sample-spawn-request.js';

/** Records a driver's lifecycle events and waits for the next one of a guest, in order. */
class LifecycleRecorder {
  private readonly events: LifecycleEvent[] = [];
  private cursor = 0;
  private wake: (() => void) | null = null;
  private readonly subscription;

  constructor(driver: HypervisorDriver, private readonly timeoutMs: number) {
    this.subscription = driver.lifecycleEvents.subscribe((e) => {
      this.events.push(e);
      this.wake?.();
    });
  }

  /** Waits for `transition` of `uuid` after the last one awaited. */
  async next(uuid: string, transition: LifecycleTransition): Promise<LifecycleEvent> {
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      const i = this.events.findIndex((e, n) => n >= this.cursor && e.instanceUuid === uuid && e.transition === transition);
      if (i >= 0) {
        this.cursor = i + 1;
        return this.events[i]!;
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        const seen = this.events.map((e) => `${e.instanceUuid}:${e.transition}`).join(', ') || 'none';
        throw new Error(`No '${transition}' event for ${uuid} within ${this.timeoutMs} ms (seen: ${seen})`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = null;
    }
  }

  stop(): void {
    this.subscription.unsubscribe();
  }
}

/** Opt-in: the driver reports the power changes it makes on `lifecycleEvents`. */
export function registerLifecycleEventChecks(h: DriverHarness, o: ResolvedConformanceOptions): void {
  it('lifecycle events report spawn, power off, power on (and pause, unpause when supported)', async () => {
    const recorder = new LifecycleRecorder(h.driver, o.eventMs);
    try {
      const uuid = h.newUuid();
      const request = await o.spawnRequest(sampleInstanceSpec(uuid));
      await h.driver.spawn(request);
      const started = await recorder.next(uuid, 'started');
      expect(started.at).toBeInstanceOf(Date);
      await h.driver.powerOff(uuid);
      await recorder.next(uuid, 'stopped');
      await h.driver.powerOn(uuid);
      await recorder.next(uuid, 'started');
      if (h.driver.capabilities.supportsPause) {
        await h.driver.pause(uuid);
        await recorder.next(uuid, 'paused');
        await h.driver.unpause(uuid);
        await recorder.next(uuid, 'resumed');
      }
    } finally {
      recorder.stop();
    }
  }, o.testMs);
}
