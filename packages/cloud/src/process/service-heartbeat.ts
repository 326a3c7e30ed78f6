import type { Logger } from '@nubo/core';

/** What a service reports about itself: Nova's `services` row (binary, host, topic, zone). */
export interface ServiceIdentity {
  binary: string;
  host: string;
  topic: string;
  availabilityZone: string;
}

/**
 * Reports a service alive every `intervalSec` (Nova's report_interval). A report still in
 * flight (conductor busy or unreachable) makes the next beat wait rather than pile up; a
 * service whose reports stop shows `down` once service_down_time has passed.
 */
export class ServiceHeartbeat {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly report: (s: ServiceIdentity) => Promise<unknown>,
    private readonly identity: ServiceIdentity,
    private readonly intervalSec: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    void this.beat();
    this.timer = setInterval(() => void this.beat(), this.intervalSec * 1000);
    this.timer.unref();
  }

  /** No more beats; a report in flight is left to finish or fail on its own. */
  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return Promise.resolve();
  }

  private beat(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    this.inFlight = this.report(this.identity)
      .then(() => undefined, (err: unknown) => this.log.warn('service report failed', { binary: this.identity.binary, error: String(err) }))
      .finally(() => { this.inFlight = null; });
    return this.inFlight;
  }
}
