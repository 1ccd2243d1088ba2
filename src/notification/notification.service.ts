import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Clock } from '../common/clock';
import { IdGenerator } from '../common/id-generator';
import { TransactionRunner } from '../database/transaction-runner';
import { InboxQueryDto, SendNotificationDto } from './dto/notification.dto';
import { Notification, NotificationChannel, NotificationStatus } from './entities/notification.entity';
import { decodeInboxCursor, encodeInboxCursor } from './inbox-cursor';
import { NOTIFICATION_TRANSACTIONS } from './notification.tokens';
import { PreferenceService } from './preferences/preference.service';
import { NotificationRepository } from './repositories/notification.repository';
import { NotificationContentService } from './templates/notification-content.service';

export const DEFAULT_INBOX_LIMIT = 50;

export type SendResult =
  | { status: NotificationStatus; notification: Notification }
  | { status: 'suppressed'; notification: null; reason: string };

export interface InboxPage {
  notifications: Notification[];
  unreadCount: number;
  nextCursor: string | null;
}

@Injectable()
export class NotificationService {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly content: NotificationContentService,
    private readonly preferences: PreferenceService,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
  ) {}

  /**
   * Stores a notification unless the user's preferences rule it out. In-app notifications are
   * delivered by being stored (visible at once, or at scheduled_at); other channels wait in
   * status "queued" for the delivery pipeline.
   */
  async send(dto: SendNotificationDto): Promise<SendResult> {
    const content = await this.content.resolve(dto);
    const preference = await this.preferences.resolve(dto.user_id, content.notificationType, content.channel);
    if (!preference.enabled) {
      const rule = preference.matched;
      return {
        status: 'suppressed',
        notification: null,
        reason: `User ${dto.user_id} has disabled ${rule?.notificationType === '*' ? 'all' : `"${content.notificationType}"`} notifications on ${rule?.channel === '*' ? 'every channel' : content.channel}`,
      };
    }

    const now = this.clock.now();
    const scheduledAt = dto.scheduled_at ? new Date(dto.scheduled_at) : null;
    const isLater = scheduledAt !== null && scheduledAt > now;
    const notification = Object.assign(new Notification(), {
      id: this.ids.next(),
      userId: dto.user_id,
      title: content.title,
      message: content.message,
      notificationType: content.notificationType,
      channel: content.channel,
      status: initialStatus(content.channel, isLater),
      data: dto.data ?? null,
      priority: dto.priority ?? 'normal',
      createdAt: now,
      scheduledAt,
      availableAt: isLater ? scheduledAt : now,
      sentAt: content.channel === 'in_app' && !isLater ? now : null,
      readAt: null,
      templateId: content.templateId,
      error: null,
    });
    await this.transactions.run((manager) => this.notifications.insert(notification, manager));
    return { status: notification.status, notification };
  }

  async inbox(userId: string, query: InboxQueryDto): Promise<InboxPage> {
    const cursor = query.cursor !== undefined ? decodeInboxCursor(query.cursor) : undefined;
    if (cursor === null) {
      throw new BadRequestException({
        code: 'validation_failed',
        message: 'Invalid request: cursor is not a cursor returned by this endpoint',
        details: [{ field: 'cursor', messages: ['cursor is not a cursor returned by this endpoint'] }],
      });
    }
    const limit = query.limit ?? DEFAULT_INBOX_LIMIT;
    const now = this.clock.now();
    // One row more than asked tells whether another page exists without a second query.
    const rows = await this.notifications.findInboxPage({
      userId,
      now,
      limit: limit + 1,
      cursor,
      unreadOnly: query.unread_only,
      channel: query.channel,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      notifications: page,
      unreadCount: await this.notifications.countUnread(userId, now, query.channel),
      nextCursor: rows.length > limit && last ? encodeInboxCursor({ availableAt: last.availableAt, id: last.id }) : null,
    };
  }

  /** Marks a notification read; marking it again keeps the first read_at. */
  markRead(id: string, ownerId: string | null = null): Promise<Notification> {
    return this.transactions.run(async (manager) => {
      const notification = await this.notifications.findById(id, manager);
      // Another user's notification is reported as missing: its existence is not theirs to learn.
      if (!notification || (ownerId !== null && notification.userId !== ownerId)) {
        throw new NotFoundException({ code: 'notification_not_found', message: `Notification ${id} does not exist` });
      }
      if (notification.readAt) return notification;
      notification.status = 'read';
      notification.readAt = this.clock.now();
      await this.notifications.markRead(id, notification.readAt, manager);
      return notification;
    });
  }

  /** Flips scheduled in-app notifications whose time has come to "sent". */
  releaseDueInApp(): Promise<number> {
    const now = this.clock.now();
    return this.transactions.run((manager) => this.notifications.releaseDueInApp(now, manager));
  }
}

function initialStatus(channel: NotificationChannel, isLater: boolean): NotificationStatus {
  if (channel !== 'in_app') return 'queued';
  return isLater ? 'scheduled' : 'sent';
}
