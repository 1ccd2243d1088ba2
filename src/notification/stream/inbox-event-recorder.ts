import type { Tx } from '../../database/engine/tx';
import type { Notification } from '../entities/notification.entity';
import type { InboxCounterRepository } from '../repositories/inbox-counter.repository';
import { type InboxBulkAction, toCountsEventData, toDeletedEventData, toNotificationEventData } from './dto/stream.dto';
import { type InboxEvent, INBOX_EVENT_LOG_LIMITS, type InboxEventType } from './inbox-event';
import type { InboxEventLogRepository } from './inbox-event-log.repository';

/**
 * Records the inbox events of one unit of work (see InboxEventsService.run): each is written to
 * the user's log in the unit's transaction and kept here, to be published once it has committed.
 * The one place that says what each event carries. Each carries the user's counts, read here in
 * the same transaction: those after the change, whatever else the unit did before.
 */
export class InboxEventRecorder {
  readonly recorded: InboxEvent[] = [];

  constructor(
    private readonly tx: Tx,
    private readonly log: InboxEventLogRepository,
    private readonly counters: InboxCounterRepository,
    private readonly now: Date,
  ) {}

  /** A notification came into the user's inbox (sent, or come in at its scheduled time). */
  async created(notification: Notification): Promise<void> {
    const counts = await this.counters.find(this.tx, notification.userId);
    await this.record(notification.userId, 'notification.created', toNotificationEventData(notification, counts));
  }

  /** A notification changed (read, seen, archived, snoozed, back from a snooze, action taken…). */
  async updated(notification: Notification): Promise<void> {
    const counts = await this.counters.find(this.tx, notification.userId);
    await this.record(notification.userId, 'notification.updated', toNotificationEventData(notification, counts));
  }

  async deleted(notification: Notification): Promise<void> {
    const counts = await this.counters.find(this.tx, notification.userId);
    await this.record(notification.userId, 'notification.deleted', toDeletedEventData(notification.id, counts));
  }

  /** A bulk action changed many of the user's notifications: one event for them all. */
  async bulk(userId: string, change: InboxBulkAction): Promise<void> {
    const counts = await this.counters.find(this.tx, userId);
    await this.record(userId, 'counts', toCountsEventData(counts, change));
  }

  private async record(userId: string, type: InboxEventType, data: object): Promise<void> {
    const event = { userId, type, data: JSON.stringify(data) };
    const id = await this.log.append(this.tx, event, this.now, INBOX_EVENT_LOG_LIMITS.maxPerUser);
    this.recorded.push({ ...event, id });
  }
}
