/** A versioned notification, like Nova's `instance.create.end`. */
export interface Notification<P = Record<string, unknown>> {
  eventType: string;
  /** Version of the payload schema. */
  version: string;
  publisherId: string;
  priority: 'INFO' | 'ERROR' | 'WARN';
  requestId: string | null;
  timestamp: string;
  payload: P;
}
