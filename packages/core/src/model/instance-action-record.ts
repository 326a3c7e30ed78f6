/** One user-started action on an instance (os-instance-actions). */
export interface InstanceActionRecord {
  id: number;
  instanceUuid: string;
  action: string;
  requestId: string;
  userId: string;
  projectId: string;
  message: string | null;
  startTime: Date;
  finishTime: Date | null;
}

/** A step of an action, e.g. `compute_build_and_run_instance`, with its outcome. */
export interface InstanceActionEvent {
  id: number;
  actionId: number;
  event: string;
  host: string | null;
  result: 'Success' | 'Error' | null;
  traceback: string | null;
  startTime: Date;
  finishTime: Date | null;
}
