import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { NOTIFICATION_DATA_SOURCE } from '../../database/data-source-names';
import { toStoredRow } from '../../database/stored-row';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import { DeliveryJob } from '../entities/delivery-job.entity';
import { DeviceToken } from '../entities/device-token.entity';
import { NotificationDelivery } from '../entities/notification-delivery.entity';
import { NotificationPreference } from '../entities/notification-preference.entity';
import { Notification } from '../entities/notification.entity';
import { IdempotencyRecord } from '../entities/idempotency-record.entity';
import { UserContact } from '../entities/user-contact.entity';
import { InboxCounter } from '../entities/inbox-counter.entity';
import { TopicSubscriptionRepository } from '../repositories/topic-subscription.repository';
import { NotificationScheduleRepository } from '../repositories/notification-schedule.repository';
import { NotificationSchedule } from '../entities/notification-schedule.entity';
import type { Db, Tx } from '../../database/engine/tx';
import { IdempotencyRepository } from '../repositories/idempotency.repository';
import { DigestPreference } from '../entities/digest-preference.entity';
import { NotificationDigest } from '../entities/notification-digest.entity';
import { DigestPreferenceRepository } from '../repositories/digest-preference.repository';
import { NotificationDigestRepository } from '../repositories/notification-digest.repository';
import { ThrottleCounterRepository } from '../repositories/throttle-counter.repository';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { InboxEventLogRepository } from '../stream/inbox-event-log.repository';
import { StreamTicketRepository } from '../stream/stream-ticket.repository';

export interface NotificationExport {
  notifications: Record<string, unknown>[];
  preferences: Record<string, unknown>[];
  devices: Record<string, unknown>[];
  contact: Record<string, unknown> | null;
  topics: string[];
  schedule: Record<string, unknown> | null;
  digest_preferences: Record<string, unknown>[];
  digests: Record<string, unknown>[];
}

/** Data rights on the notification side: export everything of a user, or erase it. */
@Injectable()
export class NotificationUserDataService {
  constructor(
    @InjectDataSource(NOTIFICATION_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly topics: TopicSubscriptionRepository,
    private readonly schedules: NotificationScheduleRepository,
    private readonly inboxEvents: InboxEventLogRepository,
    private readonly streamTickets: StreamTicketRepository,
    private readonly digestChoices: DigestPreferenceRepository,
    private readonly digests: NotificationDigestRepository,
    private readonly throttleCounters: ThrottleCounterRepository,
    private readonly idempotency: IdempotencyRepository,
  ) {}

  async export(userId: string): Promise<NotificationExport> {
    const db = this.transactions.reads;
    const notifications = await db.find(Notification, { where: { userId }, order: { createdAt: 'ASC' } });
    const deliveries = notifications.length
      ? await db.find(NotificationDelivery, {
          where: { notificationId: In(notifications.map((n) => n.id)) },
          order: { attempt: 'ASC' },
        })
      : [];
    const contact = await db.findOneBy(UserContact, { userId });
    return {
      notifications: notifications.map((n) => ({
        ...toStoredRow(this.dataSource, Notification, n),
        deliveries: deliveries.filter((d) => d.notificationId === n.id).map((d) => toStoredRow(this.dataSource, NotificationDelivery, d)),
      })),
      preferences: (await db.findBy(NotificationPreference, { userId })).map((p) =>
        toStoredRow(this.dataSource, NotificationPreference, p),
      ),
      devices: (await db.findBy(DeviceToken, { userId })).map((d) => toStoredRow(this.dataSource, DeviceToken, d)),
      contact: contact ? toStoredRow(this.dataSource, UserContact, contact) : null,
      topics: (await this.topics.forUser(db, userId)).map((subscription) => subscription.topicKey),
      schedule: await this.scheduleOf(db, userId),
      digest_preferences: (await this.digestChoices.findByUser(db, userId)).map((row) =>
        toStoredRow(this.dataSource, DigestPreference, row),
      ),
      digests: (await this.digests.findByUser(db, userId)).map((row) => toStoredRow(this.dataSource, NotificationDigest, row)),
    };
  }

  /**
   * Erases a user's notifications (with their jobs and delivery records), preferences, devices,
   * contact, idempotency records, inbox counts, topic subscriptions, schedule, digests and
   * throttle counts, and their stream's event log and tickets.
   */
  erase(userId: string): Promise<{ notifications: number; preferences: number; devices: number }> {
    return this.transactions.run(async (tx) => {
      const ids = (await tx.find(Notification, { select: { id: true }, where: { userId } })).map((n) => n.id);
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        await tx.delete(NotificationDelivery, { notificationId: In(chunk) });
        await tx.delete(DeliveryJob, { notificationId: In(chunk) });
      }
      const notifications = (await tx.delete(Notification, { userId })).affected ?? 0;
      const preferences = (await tx.delete(NotificationPreference, { userId })).affected ?? 0;
      const devices = (await tx.delete(DeviceToken, { userId })).affected ?? 0;
      await tx.delete(UserContact, { userId });
      await tx.delete(IdempotencyRecord, { userId });
      await this.forgetInFanOutAnswers(tx, userId);
      await tx.delete(InboxCounter, { userId });
      await this.topics.eraseUser(tx, userId);
      await this.schedules.eraseUser(tx, userId);
      await this.digestChoices.eraseUser(tx, userId);
      await this.digests.eraseUser(tx, userId);
      await this.throttleCounters.eraseUser(tx, userId);
      // The stream's log holds copies of the notifications (titles, messages, data).
      await this.inboxEvents.eraseUser(tx, userId);
      await this.streamTickets.eraseUser(tx, userId);
      return { notifications, preferences, devices };
    });
  }

  /**
   * A fan-out's remembered answer lists its recipients: the user leaves that list (the counts
   * stay as they were answered). The record itself stays, so a retry under its key still replays
   * rather than sending again, to the erased user among others.
   */
  private async forgetInFanOutAnswers(tx: Tx, userId: string): Promise<void> {
    for (const record of await this.idempotency.findFanOutsNaming(tx, userId)) {
      const body = record.responseBody as { results?: Array<{ user_id?: unknown }> };
      if (!Array.isArray(body.results)) continue;
      await this.idempotency.replaceBody(tx, record.key, {
        ...body,
        results: body.results.filter((r) => r.user_id !== userId),
      } as IdempotencyRecord['responseBody']);
    }
  }

  private async scheduleOf(db: Db, userId: string): Promise<Record<string, unknown> | null> {
    const schedule = await this.schedules.findByUser(db, userId);
    return schedule ? toStoredRow(this.dataSource, NotificationSchedule, schedule) : null;
  }
}
