import type { LifecycleEvent, LifecycleTransition } from '@nubo/core';
import type { Subject } from 'rxjs';
import { childText } from './vim/xml.js';
import { createContainerView, destroyView } from './vim/methods/view-manager.js';
import {
  cancelWaitForUpdates,
  createFilter,
  createPropertyCollector,
  destroyPropertyCollector,
  waitForUpdatesEx,
  type ObjectUpdate,
} from './vim/methods/property-filter.js';
import type { ManagedObjectReference } from './vim/types.js';
import type { VimClient } from './vim/vim-client.js';
import { INSTANCE_UUID_KEY } from './vm-config-spec.js';

const TRANSITIONS: Record<string, LifecycleTransition> = {
  poweredOn: 'started',
  poweredOff: 'stopped',
  suspended: 'suspended',
};

/**
 * Longest wait of one WaitForUpdatesEx. It also bounds how long the watch stays blind after
 * its session died (the pending wait only fails when it returns), at one idle request per period.
 */
const WAIT_SECONDS = 10;

interface Tracked {
  uuid: string | undefined;
  power: string | undefined;
}

/**
 * Turns vSphere's own record of power-state changes into lifecycle events: a private property
 * collector with a filter over `runtime.powerState` of every VM in the folder, long-polled with
 * WaitForUpdatesEx. It sees changes whoever made them (Nubo, an operator in the vSphere client,
 * HA restarting a VM), which is what Nova's power-state sync needs. VMs without Nubo's
 * extraConfig tag are ignored.
 */
export class PowerStateWatcher {
  private readonly vms = new Map<string, Tracked>();
  private collector: ManagedObjectReference | undefined;
  private view: ManagedObjectReference | undefined;
  private stopped = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly client: VimClient,
    private readonly folder: ManagedObjectReference,
    private readonly events: Subject<LifecycleEvent>,
    private readonly onError: (err: unknown) => void,
  ) {}

  /** Creates the collector and filter and reads the current state (no events for it), then polls in the background. */
  async start(): Promise<void> {
    const version = await this.subscribe(false);
    this.loop = this.poll(version);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.collector) await cancelWaitForUpdates(this.client.conn, this.collector).catch(() => undefined);
    await this.loop;
    await this.release();
  }

  /**
   * A private collector, a view of the folder's VMs and a filter on their power state; returns
   * the version to wait from. The initial state is applied with `emit` (true after a gap, so
   * changes made while the watch was down are still reported).
   */
  private async subscribe(emit: boolean): Promise<string> {
    const { conn } = this.client;
    this.collector = await createPropertyCollector(conn, this.client.propertyCollector);
    this.view = await createContainerView(conn, this.client.serviceContent.viewManager!, this.folder, ['VirtualMachine'], true);
    await createFilter(
      conn,
      this.collector,
      {
        propSet: [{ type: 'VirtualMachine', pathSet: ['runtime.powerState', 'config.extraConfig'] }],
        objectSet: [
          {
            obj: this.view,
            skip: true,
            selectSet: [{ kind: 'TraversalSpec', type: 'ContainerView', path: 'view', skip: false }],
          },
        ],
      },
      true,
    );
    const initial = await waitForUpdatesEx(conn, this.collector, '');
    for (const u of initial?.objects ?? []) this.apply(u, emit);
    return initial?.version ?? '';
  }

  private async release(): Promise<void> {
    const { conn } = this.client;
    if (this.view) await destroyView(conn, this.view).catch(() => undefined);
    if (this.collector) await destroyPropertyCollector(conn, this.collector).catch(() => undefined);
    this.view = undefined;
    this.collector = undefined;
  }

  private async poll(version: string): Promise<void> {
    while (!this.stopped) {
      try {
        const set = await waitForUpdatesEx(this.client.conn, this.collector!, version, { maxWaitSeconds: WAIT_SECONDS });
        if (!set) continue;
        version = set.version;
        for (const u of set.objects) this.apply(u, true);
      } catch (err) {
        if (this.stopped) return;
        this.onError(err);
        // The collector and view belong to the session: when it expired (the client has logged
        // in again) or vCenter restarted, they are gone. Back off, then subscribe anew.
        for (;;) {
          await new Promise((r) => setTimeout(r, 1000));
          if (this.stopped) return;
          try {
            await this.release();
            version = await this.subscribe(true);
            break;
          } catch (again) {
            this.onError(again);
          }
        }
      }
    }
  }

  private apply(update: ObjectUpdate, emit: boolean): void {
    const key = update.obj.value;
    if (update.kind === 'leave') {
      this.vms.delete(key);
      return;
    }
    const tracked: Tracked = this.vms.get(key) ?? { uuid: undefined, power: undefined };
    const before = tracked.power;
    for (const c of update.changeSet) {
      if (c.name === 'runtime.powerState') tracked.power = c.val?.text;
      if (c.name === 'config.extraConfig' && c.val) {
        const tag = c.val.children.find((o) => childText(o, 'key') === INSTANCE_UUID_KEY);
        tracked.uuid = tag ? childText(tag, 'value') : undefined;
      }
    }
    this.vms.set(key, tracked);
    if (!emit || !tracked.uuid || !tracked.power || tracked.power === before) return;
    // A VM entering the view already powered off is just being built; that is no transition.
    if (before === undefined && tracked.power !== 'poweredOn') return;
    const transition = before === 'suspended' && tracked.power === 'poweredOn' ? 'resumed' : TRANSITIONS[tracked.power];
    if (transition) this.events.next({ instanceUuid: tracked.uuid, transition, at: new Date() });
  }
}
