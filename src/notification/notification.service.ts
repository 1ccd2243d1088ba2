import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { Clock } from '../common/clock';
import { IdGenerator } from '../common/id-generator';
import { OutboundPolicy } from '../common/outbound/outbound-policy';
import { validationFailed } from '../common/validation/validation.pipe';
import { recipientDataErrors } from './delivery/recipients';
import { TransactionRunner } from '../database/engine/transaction-runner';
import { SendNotificationDto } from './dto/notification.dto';
import { DELIVERY_QUEUE } from './delivery/delivery-queue';
import type { DeliveryQueue } from './delivery/delivery-queue';
import { DeliveryPlannerService } from './delivery/delivery-planner.service';
import { ChannelRegistry } from './delivery/channel-registry';
import { IN_APP } from './delivery/channel-name';
import { DeliveryJob } from './entities/delivery-job.entity';
import type { NotificationDelivery } from './entities/notification-delivery.entity';
import { Notification, NotificationChannel, NotificationPriority, NotificationStatus } from './entities/notification.entity';
import { hashRequest, IdempotencyService } from './idempotency/idempotency.service';
import { DeliveryJobRepository } from './repositories/delivery-job.repository';
import { NotificationDeliveryRepository } from './repositories/notification-delivery.repository';
import { NOTIFICATION_TRANSACTIONS } from './notification.tokens';
import { PreferenceService } from './preferences/preference.service';
import { NotificationRepository } from './repositories/notification.repository';
import { InboxCounterRepository } from './repositories/inbox-counter.repository';
import { NotificationTypeRepository } from './repositories/notification-type.repository';
import { countsOf } from './inbox/inbox-counts';
import { NotificationContentService } from './templates/notification-content.service';

export type SendResult = (
  { status: NotificationStatus; notification: Notification } | { status: 'suppressed'; notification: null; reason: string }
) & {
  /** Set when an Idempotency-Key matched an earlier request: this is that request's answer. */
  replayed?: { statusCode: number; body: Record<string, unknown> };
};

/** Queue order of priorities: lower goes first. */
const PRIORITY_ORDER: Record<NotificationPriority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

@Injectable()
export class NotificationService {
  private readonly logger = new Logger(NotificationService.name);

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly content: NotificationContentService,
    private readonly preferences: PreferenceService,
    private readonly planner: DeliveryPlannerService,
    private readonly idempotency: IdempotencyService,
    @Inject(DELIVERY_QUEUE) private readonly queue: DeliveryQueue,
    private readonly jobs: DeliveryJobRepository,
    private readonly deliveryRecords: NotificationDeliveryRepository,
    private readonly counters: InboxCounterRepository,
    private readonly types: NotificationTypeRepository,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    private readonly outbound: OutboundPolicy,
    private readonly channels: ChannelRegistry,
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
    const preference = await this.preferences.resolve(dto.user_id, content.notificationType, content.channel);
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

    const now = this.clock.now();
    const scheduledAt = dto.scheduled_at ? new Date(dto.scheduled_at) : null;
    const isLater = scheduledAt !== null && scheduledAt > now;
    const priority = dto.priority ?? 'normal';
    const notification = Object.assign(new Notification(), {
      id: this.ids.next(),
      userId: dto.user_id,
      title: content.title,
      message: content.message,
      htmlMessage: content.htmlMessage,
      notificationType: content.notificationType,
      channel: content.channel,
      status: initialStatus(content.channel, isLater),
      data: dto.data ?? null,
      priority,
      createdAt: now,
      scheduledAt,
      availableAt: isLater ? scheduledAt : now,
      sentAt: content.channel === IN_APP && !isLater ? now : null,
      readAt: null,
      templateId: content.templateId,
      error: null,
      seenAt: null,
      archivedAt: null,
      snoozedUntil: null,
      // Scheduled for later: out of the inbox (and its counts) until then.
      relistAt: isLater ? scheduledAt : null,
      category: content.category ?? (await this.types.findByType(this.transactions.reads, content.notificationType))?.category ?? null,
      actions: dto.actions?.map((action) => ({ action_id: action.action_id, label: action.label, url: action.url ?? null })) ?? null,
      actionTakenId: null,
      actionTakenAt: null,
    });
    let job: DeliveryJob | null = null;
    const result = await this.transactions.run(async (tx) => {
      // Checked again inside the transaction: a concurrent request with the same key may have won.
      if (idempotencyKey) {
        const replay = await this.idempotency.replay(tx, idempotencyKey, requestHash);
        if (replay) return replay;
      }
      await this.notifications.insert(tx, notification);
      await this.counters.add(tx, notification.userId, countsOf(notification));
      if (content.channel !== IN_APP) {
        job = Object.assign(new DeliveryJob(), {
          notificationId: notification.id,
          priority: PRIORITY_ORDER[priority],
          runAt: isLater ? scheduledAt : now,
          attempts: 0,
          state: 'pending',
          leaseUntil: null,
          completedTargets: [],
          createdAt: now,
          updatedAt: now,
        });
        await this.jobs.insert(tx, job);
      }
      const sent: SendResult = { status: notification.status, notification };
      return idempotencyKey ? this.idempotency.remember(idempotencyKey, requestHash, dto.user_id, sent, tx) : sent;
    });
    // After the commit: a queue failure here is repaired by the relay, the row being the truth.
    // Assigned inside the transaction callback, which TypeScript's narrowing does not follow.
    const pending = job as DeliveryJob | null;
    if (pending) {
      await this.queue
        .schedule(pending)
        .catch((error: Error) =>
          this.logger.warn(`Queueing ${pending.notificationId} failed (the relay will offer it again): ${error.message}`),
        );
    }
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

function initialStatus(channel: NotificationChannel, isLater: boolean): NotificationStatus {
  if (channel !== IN_APP) return 'queued';
  return isLater ? 'scheduled' : 'sent';
}
