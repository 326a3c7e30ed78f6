import { TaskState, VmState } from './instance-state.js';

/** Actions a user can start on an instance; each is allowed only from certain states. */
export type InstanceActionName =
  | 'reboot' | 'stop' | 'start' | 'pause' | 'unpause' | 'suspend' | 'resume'
  | 'createImage' | 'resize' | 'confirmResize' | 'revertResize' | 'rebuild' | 'delete';

interface ActionRule {
  vmStates: readonly VmState[];
  /** task_states allowed; `undefined` means the task must be null. */
  taskStates?: readonly (TaskState | null)[];
}

const NONE = [null] as const;

/** Mirrors Nova's `@check_instance_state` decorators in nova/compute/api.py. */
export const INSTANCE_ACTION_RULES: Record<InstanceActionName, ActionRule> = {
  reboot: {
    vmStates: [VmState.ACTIVE, VmState.STOPPED, VmState.PAUSED, VmState.SUSPENDED, VmState.ERROR],
    taskStates: [null, TaskState.REBOOTING, TaskState.REBOOT_PENDING, TaskState.REBOOT_STARTED,
      TaskState.REBOOTING_HARD, TaskState.REBOOT_PENDING_HARD, TaskState.REBOOT_STARTED_HARD],
  },
  stop: { vmStates: [VmState.ACTIVE, VmState.RESCUED, VmState.ERROR], taskStates: NONE },
  start: { vmStates: [VmState.STOPPED], taskStates: NONE },
  pause: { vmStates: [VmState.ACTIVE], taskStates: NONE },
  unpause: { vmStates: [VmState.PAUSED], taskStates: NONE },
  suspend: { vmStates: [VmState.ACTIVE], taskStates: NONE },
  resume: { vmStates: [VmState.SUSPENDED], taskStates: NONE },
  createImage: { vmStates: [VmState.ACTIVE, VmState.STOPPED, VmState.PAUSED, VmState.SUSPENDED], taskStates: NONE },
  resize: { vmStates: [VmState.ACTIVE, VmState.STOPPED], taskStates: NONE },
  confirmResize: { vmStates: [VmState.RESIZED], taskStates: NONE },
  revertResize: { vmStates: [VmState.RESIZED], taskStates: NONE },
  rebuild: { vmStates: [VmState.ACTIVE, VmState.STOPPED, VmState.ERROR], taskStates: NONE },
  delete: {
    vmStates: [VmState.ACTIVE, VmState.BUILDING, VmState.PAUSED, VmState.SUSPENDED, VmState.STOPPED,
      VmState.RESCUED, VmState.RESIZED, VmState.ERROR, VmState.SOFT_DELETED, VmState.SHELVED,
      VmState.SHELVED_OFFLOADED],
    taskStates: [null, ...Object.values(TaskState).filter((t) => t !== TaskState.DELETING)],
  },
};

/**
 * Returns null when the action is allowed, otherwise Nova's conflict message, e.g.
 * "Cannot 'pause' instance 1f… while it is in vm_state stopped".
 */
export function refuseAction(
  action: InstanceActionName,
  instance: { uuid: string; vmState: VmState; taskState: TaskState | null },
): string | null {
  const rule = INSTANCE_ACTION_RULES[action];
  if (!rule.vmStates.includes(instance.vmState)) {
    return `Cannot '${action}' instance ${instance.uuid} while it is in vm_state ${instance.vmState}`;
  }
  const tasks = rule.taskStates ?? NONE;
  if (!tasks.includes(instance.taskState)) {
    return `Cannot '${action}' instance ${instance.uuid} while it is in task_state ${instance.taskState}`;
  }
  return null;
}
