/** A running nova-* style service: one row per (binary, host). */
export interface ServiceRecord {
  id: number;
  binary: string;
  host: string;
  topic: string;
  availabilityZone: string;
  disabled: boolean;
  disabledReason: string | null;
  forcedDown: boolean;
  reportCount: number;
  lastSeenAt: Date;
  createdAt: Date;
}

export type ServiceBinary = 'nubo-api' | 'nubo-scheduler' | 'nubo-conductor' | 'nubo-compute';

/** A service is up when it has reported within `serviceDownTimeSec` and is not forced down. */
export function isServiceUp(s: Pick<ServiceRecord, 'lastSeenAt' | 'forcedDown'>, now: Date, serviceDownTimeSec: number): boolean {
  return !s.forcedDown && now.getTime() - s.lastSeenAt.getTime() <= serviceDownTimeSec * 1000;
}
