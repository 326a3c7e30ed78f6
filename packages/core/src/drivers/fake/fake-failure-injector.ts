import { DriverError } from '../../errors.js';
import type { FakeOperation } from './fake-driver-options.js';

/** Which attempts of an operation fail. Attempts are counted from the moment the failure is armed. */
export interface FailureInjection {
  /** The first failing attempt, 1-based (1 = the next attempt). Defaults to 1. */
  nth?: number;
  /** How many consecutive attempts fail from `nth` on. Defaults to 1. */
  count?: number;
  /** Fail every attempt until cancelled (a broken host); overrides `nth` and `count`. */
  always?: boolean;
  /** Only attempts on instances this accepts are counted and failed. */
  match?: (instanceUuid: string) => boolean;
  message?: string;
  /** Whether the conductor may reschedule elsewhere. Defaults to true. */
  retryable?: boolean;
}

/** An armed failure: how often it fired, and a way to disarm it. */
export interface FailureHandle {
  readonly triggered: number;
  cancel(): void;
}

interface ArmedFailure {
  operation: FakeOperation;
  first: number;
  last: number;
  seen: number;
  triggered: number;
  injection: FailureInjection;
}

/** Decides which operation attempts of one fake host fail. */
export class FakeFailureInjector {
  private armed: ArmedFailure[] = [];

  arm(operation: FakeOperation, injection: FailureInjection): FailureHandle {
    const first = injection.nth ?? 1;
    const count = injection.count ?? 1;
    if (!Number.isInteger(first) || first < 1) throw new RangeError(`nth must be a positive integer, got ${first}`);
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`count must be a positive integer, got ${count}`);
    const entry: ArmedFailure = {
      operation,
      first,
      last: injection.always ? Number.POSITIVE_INFINITY : first + count - 1,
      seen: 0,
      triggered: 0,
      injection,
    };
    this.armed.push(entry);
    return {
      get triggered() {
        return entry.triggered;
      },
      cancel: () => {
        this.armed = this.armed.filter((a) => a !== entry);
      },
    };
  }

  clear(): void {
    this.armed = [];
  }

  /** Counts one attempt of `operation`; returns the error to throw if it is to fail. */
  attempt(operation: FakeOperation, instanceUuid: string, host: string): DriverError | null {
    let failure: DriverError | null = null;
    for (const a of this.armed) {
      if (a.operation !== operation) continue;
      if (a.injection.match && !a.injection.match(instanceUuid)) continue;
      a.seen += 1;
      if (failure || a.seen < a.first || a.seen > a.last) continue;
      a.triggered += 1;
      const message = a.injection.message ?? `Injected ${operation} failure on fake host ${host} for instance ${instanceUuid}.`;
      failure = new DriverError(message, a.injection.retryable ?? true, { host, instanceUuid, injected: true });
    }
    this.armed = this.armed.filter((a) => a.seen < a.last);
    return failure;
  }
}
