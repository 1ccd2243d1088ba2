import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Clock } from '../common/clock';
import { OutboundPolicy } from '../common/outbound/outbound-policy';
import { validationFailed } from '../common/validation/validation.pipe';
import { recipientDataErrors } from './delivery/recipients';
import { TransactionRunner } from '../database/engine/transaction-runner';
import { SendNotificationDto } from './dto/notification.dto';
import { DeliveryPlannerService } from './delivery/delivery-planner.service';
import { DeliveryJob } from './entities/delivery-job.entity';
import type { NotificationDelivery } from './entities/notification-delivery.entity';
import { Notification, NotificationStatus } from './entities/notification.entity';
import { hashRequest, IdempotencyService } from './idempotency/idempotency.service';
import { NotificationDeliveryRepository } from './repositories/notification-delivery.repository';
import { NOTIFICATION_TRANSACTIONS } from './notification.tokens';
import { PreferenceService } from './preferences/preference.service';
import { NotificationRepository } from './repositories/notification.repository';
import { NotificationStore } from './notification-store.service';
import { NotificationTypeRepository } from './repositories/notification-type.repository';
import { NotificationContentService } from './templates/notification-content.service';
import { InboxEventsService } from './stream/inbox-events.service';

export type SendResult = (
  { status: NotificationStatus; notification: Notification } | { status: 'suppressed'; notification: null; reason: string }
) & {
  /** Set when an Idempotency-Key matched an earlier request: this is that request's answer. */
  replayed?: { statusCode: number; body: Record<string, unknown> };
};

@Injectable()
export class NotificationService {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly content: NotificationContentService,
    private readonly preferences: PreferenceService,
    private readonly planner: DeliveryPlannerService,
    private readonly idempotency: IdempotencyService,
    private readonly deliveryRecords: NotificationDeliveryRepository,
    private readonly store: NotificationStore,
    private readonly types: NotificationTypeRepository,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly events: InboxEventsService,
    private readonly clock: Clock,
    private readonly outbound: OutboundPolicy,
  ) {}

  /**
   * Stores a notification unless the user's preferences rule it out. In-app notifications are
   * delivered by being stored (visible at once, or at scheduled_at). Every other channel gets a
   * delivery job in the same transaction, so an acknowledged send is never lost. With an
   * idempotency key, the first result is returned again for 24 hours and nothing is sent twice.
   */
  async send(dto: SendNotificationDto, idempotencyKey?: string): Promise<SendResult> {
    const dataErrors = recipientDataErrors(dto.data, this.outbound);
    if (dataErrors.length > 0) throw validationFailed(dataErrors);
    const requestHash = idempotencyKey ? hashRequest(dto) : '';
    if (idempotencyKey) {
      const replay = await this.idempotency.replay(this.transactions.reads, idempotencyKey, requestHash);
      if (replay) return replay;
    }
    const content = await this.content.resolve(this.transactions.reads, dto);
    // A required type resolves enabled whatever the user stored: it goes out past every preference.
    const preference = await this.preferences.resolve(
      dto.user_id,
      content.notificationType,
      content.channel,
      content.defaultEnabled ?? undefined,
    );
    if (!preference.enabled) {
      const result: SendResult = {
        status: 'suppressed',
        notification: null,
        reason: this.preferences.suppressionReason(dto.user_id, content.notificationType, content.channel, preference),
      };
      if (!idempotencyKey) return result;
      return this.transactions.run((tx) => this.idempotency.remember(idempotencyKey, requestHash, dto.user_id, result, tx));
    }
    await this.planner.assertDeliverable(this.transactions.reads, content.channel, dto.user_id, dto.data ?? null);

    const category = content.category ?? (await this.types.findByType(this.transactions.reads, content.notificationType))?.category ?? null;
    const notification = this.store.draft(dto.user_id, content, dto, this.clock.now(), category);
    let job: DeliveryJob | null = null;
    const result = await this.events.run(async (tx, events) => {
      // Checked again inside the transaction: a concurrent request with the same key may have won.
      if (idempotencyKey) {
        const replay = await this.idempotency.replay(tx, idempotencyKey, requestHash);
        if (replay) return replay;
      }
      const stored = await this.store.store(tx, notification);
      job = stored.job;
      let sent: SendResult;
      if (stored.dropped !== null) sent = { status: 'suppressed', notification: null, reason: stored.dropped };
      else {
        // In the inbox now (not scheduled for later): the user's streams hear of it after the commit.
        if (notification.relistAt === null) await events.created(notification);
        sent = { status: notification.status, notification };
      }
      return idempotencyKey ? this.idempotency.remember(idempotencyKey, requestHash, dto.user_id, sent, tx) : sent;
    });
    await this.store.enqueue([job]);
    return result;
  }

  /** A notification's delivery attempts, oldest first. */
  async deliveries(id: string): Promise<{ notification: Notification; deliveries: NotificationDelivery[] }> {
    const notification = await this.notifications.findById(this.transactions.reads, id);
    if (!notification) {
      throw new NotFoundException({ code: 'notification_not_found', message: `Notification ${id} does not exist` });
    }
    return { notification, deliveries: await this.deliveryRecords.listForNotification(this.transactions.reads, id) };
  }

  /** Flips scheduled in-app notifications whose time has come to "sent". */
  releaseDueInApp(): Promise<number> {
    const now = this.clock.now();
    return this.transactions.run((tx) => this.notifications.releaseDueInApp(tx, now));
  }
}
