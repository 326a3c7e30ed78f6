import { decodeVirtualDisks, prop, propMoRef, propOptionValues, propString, type VirtualDiskInfo } from './vim/decode.js';
import { InvalidPowerStateFault } from './vim/faults.js';
import { retrieveAll, retrieveOne } from './vim/methods/property-collector.js';
import { createContainerView, destroyView } from './vim/methods/view-manager.js';
import * as vm from './vim/methods/virtual-machine.js';
import type { ManagedObjectReference } from './vim/types.js';
import type { VimClient } from './vim/vim-client.js';
import { INSTANCE_UUID_KEY } from './vm-config-spec.js';

// What the driver reads from and does to one VM, in vSphere's terms (no Nova semantics here).

/** `runtime.powerState` (`poweredOn`, `poweredOff`, `suspended`). */
export async function readPowerState(client: VimClient, ref: ManagedObjectReference): Promise<string | undefined> {
  const c = await retrieveOne(client.conn, client.propertyCollector, ref, ['runtime.powerState']);
  return c && propString(c, 'runtime.powerState');
}

/** The VM's virtual disks, from `config.hardware.device`. */
export async function readDisks(client: VimClient, ref: ManagedObjectReference): Promise<VirtualDiskInfo[]> {
  const c = await retrieveOne(client.conn, client.propertyCollector, ref, ['config.hardware.device']);
  return decodeVirtualDisks(c && prop(c, 'config.hardware.device'));
}

/** Whether VMware Tools run in the guest, so guest shutdown and reboot can be asked of it. */
export async function toolsRunning(client: VimClient, ref: ManagedObjectReference): Promise<boolean> {
  const c = await retrieveOne(client.conn, client.propertyCollector, ref, ['guest.toolsRunningStatus']);
  return (c && propString(c, 'guest.toolsRunningStatus')) === 'guestToolsRunning';
}

/** Polls until the VM reaches `want`; false when `timeoutMs` passed first. */
export async function waitForPowerState(
  client: VimClient,
  ref: ManagedObjectReference,
  want: string,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = 50; ; wait = Math.min(wait * 2, 1000)) {
    if ((await readPowerState(client, ref)) === want) return true;
    if (Date.now() + wait > deadline) return false;
    await new Promise((r) => setTimeout(r, wait));
  }
}

/** Powers a VM off if needed, then deletes it with its disks (or only unregisters it). */
export async function removeVm(client: VimClient, ref: ManagedObjectReference, destroyDisks = true): Promise<void> {
  if ((await readPowerState(client, ref)) === 'poweredOn') {
    try {
      await client.waitForTask(await vm.powerOffVM_Task(client.conn, ref));
    } catch (err) {
      if (!(err instanceof InvalidPowerStateFault)) throw err;
    }
  }
  if (destroyDisks) await client.waitForTask(await vm.destroy_Task(client.conn, ref));
  else await vm.unregisterVM(client.conn, ref);
}

/** Instance UUIDs of the Nubo-tagged VMs below `folder` that sit in resource pool `pool`. */
export async function listTaggedInstances(
  client: VimClient,
  folder: ManagedObjectReference,
  pool: ManagedObjectReference,
): Promise<string[]> {
  const view = await createContainerView(client.conn, client.serviceContent.viewManager!, folder, ['VirtualMachine'], true);
  try {
    const objects = await retrieveAll(client.conn, client.propertyCollector, [
      {
        propSet: [{ type: 'VirtualMachine', pathSet: ['config.extraConfig', 'resourcePool'] }],
        objectSet: [
          { obj: view, skip: true, selectSet: [{ kind: 'TraversalSpec', type: 'ContainerView', path: 'view', skip: false }] },
        ],
      },
    ]);
    const out: string[] = [];
    for (const o of objects) {
      if (propMoRef(o, 'resourcePool')?.value !== pool.value) continue;
      const tag = propOptionValues(o, 'config.extraConfig').find((v) => v.key === INSTANCE_UUID_KEY);
      if (tag) out.push(tag.value);
    }
    return out;
  } finally {
    await destroyView(client.conn, view).catch(() => undefined);
  }
}
