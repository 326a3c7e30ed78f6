import type { ActionEventRecord } from '../../model/instance-action-record.js';

/**
 * Steps of one operation as this host times them, held until the next call to the conductor
 * carries them with the state change they led to: one write per transition instead of one
 * per step start and finish.
 */
export class PendingActionEvents {
  private records: ActionEventRecord[] = [];

  constructor(private readonly host: string) {}

  startRecord(event: string): ActionEventRecord {
    return { kind: 'start', event, host: this.host, startTime: new Date() };
  }

  finishRecord(event: string, error?: string): ActionEventRecord {
    return error === undefined ? { kind: 'finish', event, finishTime: new Date() } : { kind: 'finish', event, finishTime: new Date(), error };
  }

  /** Runs `fn` as a step; its outcome (success or the error's message) is held for the next flush. */
  async step<T>(event: string, fn: () => Promise<T>): Promise<T> {
    const startTime = new Date();
    try {
      const out = await fn();
      this.records.push({ kind: 'step', event, host: this.host, startTime, finishTime: new Date() });
      return out;
    } catch (err) {
      this.records.push({ kind: 'step', event, host: this.host, startTime, finishTime: new Date(), error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  }

  /**
   * Hands the held steps, then `extra`, to `send`; they are dropped only once `send` succeeds,
   * so a failed call leaves them for the next one.
   */
  async flush(send: (records: ActionEventRecord[]) => Promise<void>, extra: ActionEventRecord[] = []): Promise<void> {
    const batch = this.records.slice();
    await send([...batch, ...extra]);
    this.records.splice(0, batch.length);
  }

  /** Drops what is held: the operation turned out not to be this host's. */
  discard(): void {
    this.records = [];
  }
}
