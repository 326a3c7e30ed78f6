import { decodeMoRef } from '../decode.js';
import { decodeLocalizedFault } from '../faults.js';
import type { ManagedObjectReference, TaskResult, TaskState } from '../types.js';
import type { VimConnection } from '../vim-connection.js';
import { child, childText } from '../xml.js';
import { retrieveOne } from './property-collector.js';

export interface WaitForTaskOptions {
  signal?: AbortSignal;
  /** First poll delay in ms; doubles up to `maxIntervalMs`. Default 5. */
  initialIntervalMs?: number;
  /** Longest delay between polls. Default 1000. */
  maxIntervalMs?: number;
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Polls a task's `info` through the property collector until it succeeds (returns its result)
 * or fails (throws the task's fault as a typed `VimFault`). Polling starts fast and backs off,
 * since most vSphere tasks take milliseconds to seconds.
 */
export async function waitForTask(
  conn: VimConnection,
  propertyCollector: ManagedObjectReference,
  task: ManagedObjectReference,
  options: WaitForTaskOptions = {},
): Promise<TaskResult> {
  let interval = options.initialIntervalMs ?? 5;
  const max = options.maxIntervalMs ?? 1000;
  for (;;) {
    const content = await retrieveOne(conn, propertyCollector, task, ['info']);
    const info = content?.propSet.find((p) => p.name === 'info')?.val;
    if (!info) throw new Error(`Task ${task.value} has no info`);
    const state = childText(info, 'state') as TaskState | undefined;
    if (state === 'success') {
      const result = child(info, 'result');
      return { task, result: result && result.type ? decodeMoRef(result) : undefined };
    }
    if (state === 'error') {
      const error = child(info, 'error');
      throw error ? decodeLocalizedFault(error) : new Error(`Task ${task.value} failed`);
    }
    await delay(interval, options.signal);
    interval = Math.min(interval * 2, max);
  }
}
