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

/**
 * A step as the host that ran it timed it, sent to the conductor with the state change it
 * led to (one write instead of one per start and finish): a whole `step`, the `start` of a
 * step still running, or the `finish` of the open step of that name.
 */
export type ActionEventRecord =
  | { kind: 'step'; event: string; host: string | null; startTime: Date; finishTime: Date; error?: string }
  | { kind: 'start'; event: string; host: string | null; startTime: Date }
  | { kind: 'finish'; event: string; finishTime: Date; error?: string };

/** Dates arrive as strings over RPC. */
export function reviveActionEventRecords(records: readonly ActionEventRecord[] | undefined): ActionEventRecord[] {
  return (records ?? []).map((r) => {
    if (r.kind === 'step') return { ...r, startTime: new Date(r.startTime), finishTime: new Date(r.finishTime) };
    if (r.kind === 'start') return { ...r, startTime: new Date(r.startTime) };
    return { ...r, finishTime: new Date(r.finishTime) };
  });
}
