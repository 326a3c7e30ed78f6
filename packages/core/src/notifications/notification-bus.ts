import { Subject, type Observable } from 'rxjs';
import type { Notification } from '../model/notification.js';
import type { RequestContext } from '../model/request-context.js';
import type { Transport } from '../ports/transport.js';

export const NOTIFICATION_TOPIC = 'notifications';

/**
 * Versioned notifications (`instance.create.end`, …): an rxjs stream for code in this
 * process, and a fanout cast on the transport for consumers elsewhere.
 */
export class NotificationBus {
  private readonly subject = new Subject<Notification>();
  readonly events: Observable<Notification> = this.subject.asObservable();

  constructor(private readonly transport: Transport | null, private readonly publisherId: string) {}

  async emit(ctx: RequestContext | null, eventType: string, payload: Record<string, unknown>, priority: Notification['priority'] = 'INFO'): Promise<void> {
    const n: Notification = {
      eventType,
      version: '1.0',
      publisherId: this.publisherId,
      priority,
      requestId: ctx?.requestId ?? null,
      timestamp: new Date().toISOString(),
      payload,
    };
    this.subject.next(n);
    if (this.transport) {
      await this.transport.cast({ topic: NOTIFICATION_TOPIC, fanout: true }, 'notify', n, { context: ctx }).catch(() => undefined);
    }
  }
}
