/** Nova's vm_state: the stable state an instance is in. */
export const VmState = {
  ACTIVE: 'active',
  BUILDING: 'building',
  PAUSED: 'paused',
  SUSPENDED: 'suspended',
  STOPPED: 'stopped',
  RESCUED: 'rescued',
  RESIZED: 'resized',
  SOFT_DELETED: 'soft-delete',
  DELETED: 'deleted',
  ERROR: 'error',
  SHELVED: 'shelved',
  SHELVED_OFFLOADED: 'shelved_offloaded',
} as const;
export type VmState = (typeof VmState)[keyof typeof VmState];

/** Nova's task_state: the transient operation in progress, or null. */
export const TaskState = {
  SCHEDULING: 'scheduling',
  BLOCK_DEVICE_MAPPING: 'block_device_mapping',
  NETWORKING: 'networking',
  SPAWNING: 'spawning',
  IMAGE_SNAPSHOT: 'image_snapshot',
  IMAGE_SNAPSHOT_PENDING: 'image_snapshot_pending',
  IMAGE_PENDING_UPLOAD: 'image_pending_upload',
  IMAGE_UPLOADING: 'image_uploading',
  UPDATING_PASSWORD: 'updating_password',
  RESIZE_PREP: 'resize_prep',
  RESIZE_MIGRATING: 'resize_migrating',
  RESIZE_MIGRATED: 'resize_migrated',
  RESIZE_FINISH: 'resize_finish',
  RESIZE_REVERTING: 'resize_reverting',
  RESIZE_CONFIRMING: 'resize_confirming',
  REBOOTING: 'rebooting',
  REBOOT_PENDING: 'reboot_pending',
  REBOOT_STARTED: 'reboot_started',
  REBOOTING_HARD: 'rebooting_hard',
  REBOOT_PENDING_HARD: 'reboot_pending_hard',
  REBOOT_STARTED_HARD: 'reboot_started_hard',
  PAUSING: 'pausing',
  UNPAUSING: 'unpausing',
  SUSPENDING: 'suspending',
  RESUMING: 'resuming',
  POWERING_OFF: 'powering-off',
  POWERING_ON: 'powering-on',
  REBUILDING: 'rebuilding',
  REBUILD_BLOCK_DEVICE_MAPPING: 'rebuild_block_device_mapping',
  REBUILD_SPAWNING: 'rebuild_spawning',
  MIGRATING: 'migrating',
  DELETING: 'deleting',
  SOFT_DELETING: 'soft-deleting',
  RESTORING: 'restoring',
  SHELVING: 'shelving',
  UNSHELVING: 'unshelving',
} as const;
export type TaskState = (typeof TaskState)[keyof typeof TaskState];

/** Nova's power_state: what the hypervisor reports, as integers like Nova. */
export const PowerState = {
  NOSTATE: 0,
  RUNNING: 1,
  PAUSED: 3,
  SHUTDOWN: 4,
  CRASHED: 6,
  SUSPENDED: 7,
} as const;
export type PowerState = (typeof PowerState)[keyof typeof PowerState];

export const POWER_STATE_NAMES: Record<PowerState, string> = {
  0: 'NOSTATE',
  1: 'RUNNING',
  3: 'PAUSED',
  4: 'SHUTDOWN',
  6: 'CRASHED',
  7: 'SUSPENDED',
};

/** The API status a user sees, derived from vm_state and task_state. */
export type ServerStatus =
  | 'ACTIVE' | 'BUILD' | 'REBUILD' | 'SHUTOFF' | 'PAUSED' | 'SUSPENDED' | 'RESCUE'
  | 'REBOOT' | 'HARD_REBOOT' | 'PASSWORD' | 'RESIZE' | 'VERIFY_RESIZE' | 'REVERT_RESIZE'
  | 'MIGRATING' | 'ERROR' | 'DELETED' | 'SOFT_DELETED' | 'SHELVED' | 'SHELVED_OFFLOADED'
  | 'UNKNOWN';

const DEFAULT = '__default__';

/** Nova's `_STATE_MAP` (nova/api/openstack/common.py): vm_state → task_state → status. */
const STATE_MAP: Record<VmState, Record<string, ServerStatus>> = {
  active: {
    [DEFAULT]: 'ACTIVE',
    rebooting: 'REBOOT',
    reboot_pending: 'REBOOT',
    reboot_started: 'REBOOT',
    rebooting_hard: 'HARD_REBOOT',
    reboot_pending_hard: 'HARD_REBOOT',
    reboot_started_hard: 'HARD_REBOOT',
    updating_password: 'PASSWORD',
    rebuilding: 'REBUILD',
    rebuild_block_device_mapping: 'REBUILD',
    rebuild_spawning: 'REBUILD',
    migrating: 'MIGRATING',
    resize_prep: 'RESIZE',
    resize_migrating: 'RESIZE',
    resize_migrated: 'RESIZE',
    resize_finish: 'RESIZE',
  },
  building: { [DEFAULT]: 'BUILD' },
  stopped: {
    [DEFAULT]: 'SHUTOFF',
    resize_prep: 'RESIZE',
    resize_migrating: 'RESIZE',
    resize_migrated: 'RESIZE',
    resize_finish: 'RESIZE',
    rebuilding: 'REBUILD',
    rebuild_block_device_mapping: 'REBUILD',
    rebuild_spawning: 'REBUILD',
  },
  resized: { [DEFAULT]: 'VERIFY_RESIZE', resize_reverting: 'REVERT_RESIZE' },
  paused: { [DEFAULT]: 'PAUSED', migrating: 'MIGRATING' },
  suspended: { [DEFAULT]: 'SUSPENDED' },
  rescued: { [DEFAULT]: 'RESCUE' },
  error: { [DEFAULT]: 'ERROR', rebuilding: 'REBUILD', rebuild_block_device_mapping: 'REBUILD', rebuild_spawning: 'REBUILD' },
  deleted: { [DEFAULT]: 'DELETED' },
  'soft-delete': { [DEFAULT]: 'SOFT_DELETED' },
  shelved: { [DEFAULT]: 'SHELVED' },
  shelved_offloaded: { [DEFAULT]: 'SHELVED_OFFLOADED' },
};

/** Derives the API status exactly as Nova's `status_from_state` does. */
export function serverStatus(vmState: VmState, taskState: TaskState | null): ServerStatus {
  const byTask = STATE_MAP[vmState];
  if (!byTask) return 'UNKNOWN';
  return (taskState !== null && byTask[taskState]) || byTask[DEFAULT] || 'UNKNOWN';
}
