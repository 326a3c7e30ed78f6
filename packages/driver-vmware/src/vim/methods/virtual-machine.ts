import { decodeMoRef } from '../decode.js';
import { encodeConfigSpec } from '../config-spec.js';
import type { ManagedObjectReference, VirtualMachineConfigSpec } from '../types.js';
import { moRef, type VimConnection } from '../vim-connection.js';
import { child, el } from '../xml.js';
import type { XmlNode } from '../xml.js';

// One function per vim25 method. The `*_Task` methods return the Task to wait for
// (see `waitForTask`); the others complete when they return.

function taskOf(method: string, res: XmlNode): ManagedObjectReference {
  const rv = child(res, 'returnval');
  if (!rv) throw new Error(`${method} returned no task`);
  return decodeMoRef(rv);
}

/** `Folder.CreateVM_Task`: a new VM in `folder`, on `pool` (and optionally a given `host`). */
export async function createVM_Task(
  conn: VimConnection,
  folder: ManagedObjectReference,
  config: VirtualMachineConfigSpec,
  pool: ManagedObjectReference,
  host?: ManagedObjectReference,
): Promise<ManagedObjectReference> {
  const args = [encodeConfigSpec('config', config), moRef('pool', pool)];
  if (host) args.push(moRef('host', host));
  return taskOf('CreateVM_Task', await conn.invoke('CreateVM_Task', folder, args));
}

/** `VirtualMachine.PowerOnVM_Task`. */
export async function powerOnVM_Task(
  conn: VimConnection,
  vm: ManagedObjectReference,
  host?: ManagedObjectReference,
): Promise<ManagedObjectReference> {
  return taskOf('PowerOnVM_Task', await conn.invoke('PowerOnVM_Task', vm, host ? [moRef('host', host)] : []));
}

/** `VirtualMachine.PowerOffVM_Task`: a hard power off. */
export async function powerOffVM_Task(conn: VimConnection, vm: ManagedObjectReference): Promise<ManagedObjectReference> {
  return taskOf('PowerOffVM_Task', await conn.invoke('PowerOffVM_Task', vm));
}

/** `VirtualMachine.ResetVM_Task`: a hard reset. */
export async function resetVM_Task(conn: VimConnection, vm: ManagedObjectReference): Promise<ManagedObjectReference> {
  return taskOf('ResetVM_Task', await conn.invoke('ResetVM_Task', vm));
}

/** `VirtualMachine.SuspendVM_Task`. */
export async function suspendVM_Task(conn: VimConnection, vm: ManagedObjectReference): Promise<ManagedObjectReference> {
  return taskOf('SuspendVM_Task', await conn.invoke('SuspendVM_Task', vm));
}

/** `VirtualMachine.ShutdownGuest`: asks VMware Tools to shut the guest down; returns before it is off. */
export async function shutdownGuest(conn: VimConnection, vm: ManagedObjectReference): Promise<void> {
  await conn.invoke('ShutdownGuest', vm);
}

/** `VirtualMachine.RebootGuest`: asks VMware Tools to reboot the guest. */
export async function rebootGuest(conn: VimConnection, vm: ManagedObjectReference): Promise<void> {
  await conn.invoke('RebootGuest', vm);
}

/** `VirtualMachine.ReconfigVM_Task`: applies a config spec (CPUs, memory, devices, extraConfig). */
export async function reconfigVM_Task(
  conn: VimConnection,
  vm: ManagedObjectReference,
  spec: VirtualMachineConfigSpec,
): Promise<ManagedObjectReference> {
  return taskOf('ReconfigVM_Task', await conn.invoke('ReconfigVM_Task', vm, [encodeConfigSpec('spec', spec)]));
}

/** `VirtualMachine.CreateSnapshot_Task`; the task's result is the `VirtualMachineSnapshot`. */
export async function createSnapshot_Task(
  conn: VimConnection,
  vm: ManagedObjectReference,
  snapshot: { name: string; description?: string; memory: boolean; quiesce: boolean },
): Promise<ManagedObjectReference> {
  const res = await conn.invoke('CreateSnapshot_Task', vm, [
    el('name', snapshot.name),
    el('description', snapshot.description),
    el('memory', snapshot.memory),
    el('quiesce', snapshot.quiesce),
  ]);
  return taskOf('CreateSnapshot_Task', res);
}

/** `VirtualMachineSnapshot.RemoveSnapshot_Task`. */
export async function removeSnapshot_Task(
  conn: VimConnection,
  snapshot: ManagedObjectReference,
  removeChildren: boolean,
): Promise<ManagedObjectReference> {
  const res = await conn.invoke('RemoveSnapshot_Task', snapshot, [el('removeChildren', removeChildren)]);
  return taskOf('RemoveSnapshot_Task', res);
}

/** `ManagedEntity.Destroy_Task`: deletes the VM and its files (it must be powered off). */
export async function destroy_Task(conn: VimConnection, entity: ManagedObjectReference): Promise<ManagedObjectReference> {
  return taskOf('Destroy_Task', await conn.invoke('Destroy_Task', entity));
}

/** `VirtualMachine.UnregisterVM`: removes the VM from the inventory and leaves its files. */
export async function unregisterVM(conn: VimConnection, vm: ManagedObjectReference): Promise<void> {
  await conn.invoke('UnregisterVM', vm);
}
