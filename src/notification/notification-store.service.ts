import { Inject, Injectable, Logger } from '@nestjs/common';
import { IdGenerator } from '../common/id-generator';
import type { Tx } from '../database/engine/tx';
import { IN_APP } from './delivery/channel-name';
import { DELIVERY_QUEUE } from './delivery/delivery-queue';
import type { DeliveryQueue } from './delivery/delivery-queue';
import type { SendNotificationDto } from './dto/notification.dto';
import { DeliveryJob } from './entities/delivery-job.entity';
import { Notification, NotificationChannel, NotificationPriority, NotificationStatus } from './entities/notification.entity';
import { countsOf } from './inbox/inbox-counts';
import { QuietHoursService } from './schedule/quiet-hours.service';
import { DigestPolicyService } from './digest/digest-policy.service';
import { DeliveryJobRepository } from './repositories/delivery-job.repository';
import { InboxCounterRepository } from './repositories/inbox-counter.repository';
import { NotificationRepository } from './repositories/notification.repository';
import type { NotificationContent } from './templates/notification-content.service';

/** Queue order of priorities: lower goes first. */
const PRIORITY_ORDER: Record<NotificationPriority, number> = { urgent: 0, high: 1, normal: 2, low: 3 };

/** What storing a notification came to: its delivery job (none in-app), or the throttle dropped it and nothing was stored. */
export type Stored = { job: DeliveryJob | null; dropped: null } | { job: null; dropped: string };

/** What a send asks for beside its content: when, how urgent, its data and buttons. */
export type SendOptions = Pick<SendNotificationDto, 'scheduled_at' | 'priority' | 'data' | 'actions'>;

/**
 * The one place a new notification is made and stored, for a single send and a fan-out alike:
 * the row, the user's inbox counts and, off the in-app channel, its delivery job, all in the
 * caller's transaction; the queue hears of the jobs after the commit.
 */
@Injectable()
export class NotificationStore {
  private readonly logger = new Logger(NotificationStore.name);

  constructor(
    private readonly notifications: NotificationRepository,
    private readonly counters: InboxCounterRepository,
    private readonly jobs: DeliveryJobRepository,
    @Inject(DELIVERY_QUEUE) private readonly queue: DeliveryQueue,
    private readonly ids: IdGenerator,
    private readonly quietHours: QuietHoursService,
    private readonly policy: DigestPolicyService,
  ) {}

  /** A notification for `userId`, not yet stored. `id` is given when it must be stable (a fan-out under an idempotency key). */
  draft(
    userId: string,
    content: NotificationContent,
    options: SendOptions,
    now: Date,
    category: string | null,
    id = this.ids.next(),
  ): Notification {
    const scheduledAt = options.scheduled_at ? new Date(options.scheduled_at) : null;
    const isLater = scheduledAt !== null && scheduledAt > now;
    return Object.assign(new Notification(), {
      id,
      userId,
      title: content.title,
      message: content.message,
      htmlMessage: content.htmlMessage,
      notificationType: content.notificationType,
      channel: content.channel,
      status: initialStatus(content.channel, isLater),
      data: options.data ?? null,
      priority: options.priority ?? 'normal',
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
      category,
      actions: options.actions?.map((action) => ({ action_id: action.action_id, label: action.label, url: action.url ?? null })) ?? null,
      actionTakenId: null,
      actionTakenAt: null,
      silent: false,
      digestId: null,
    });
  }

  /**
   * Stores the notification, its counts and its delivery job in `tx`; the job goes to `enqueue`
   * after the commit. An in-app one landing now meets its type's throttle here (past the cap it
   * lands silently, or is dropped and not stored); other channels meet digests and throttles in
   * the delivery worker, when they are due.
   */
  async store(tx: Tx, notification: Notification): Promise<Stored> {
    if (notification.relistAt === null) {
      // In-app lands at once even in quiet hours, but silently: a stream shows it without an alert.
      notification.silent = await this.quietHours.landsSilently(tx, notification, notification.availableAt);
      if (notification.channel === IN_APP) {
        const routing = await this.policy.routeInApp(tx, notification, notification.availableAt);
        if (routing.kind === 'dropped') return { job: null, dropped: routing.reason };
        if (routing.kind === 'silent') notification.silent = true;
      }
    }
    await this.notifications.insert(tx, notification);
    await this.counters.add(tx, notification.userId, countsOf(notification));
    if (notification.channel === IN_APP) return { job: null, dropped: null };
    const job = Object.assign(new DeliveryJob(), {
      notificationId: notification.id,
      priority: PRIORITY_ORDER[notification.priority],
      runAt: notification.availableAt,
      attempts: 0,
      state: 'pending',
      leaseUntil: null,
      completedTargets: [],
      createdAt: notification.createdAt,
      updatedAt: notification.createdAt,
    });
    await this.jobs.insert(tx, job);
    return { job, dropped: null };
  }

  /** Hands committed jobs to the queue. A failure here is repaired by the relay: the row is the truth. */
  async enqueue(jobs: Array<DeliveryJob | null>): Promise<void> {
    for (const job of jobs) {
      if (!job) continue;
      await this.queue
        .schedule(job)
        .catch((error: Error) =>
          this.logger.warn(`Queueing ${job.notificationId} failed (the relay will offer it again): ${error.message}`),
        );
    }
  }
}

function initialStatus(channel: NotificationChannel, isLater: boolean): NotificationStatus {
  if (channel !== IN_APP) return 'queued';
  return isLater ? 'scheduled' : 'sent';
}
