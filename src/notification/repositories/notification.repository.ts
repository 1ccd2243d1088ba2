import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager } from 'typeorm';
import { NOTIFICATION_DATA_SOURCE } from '../../database/data-source-names';
import { Notification, NotificationChannel, NotificationStatus } from '../entities/notification.entity';

/** Position in an inbox: the last item of the previous page. */
export interface InboxCursor {
  availableAt: Date;
  id: string;
}

export interface InboxPageQuery {
  userId: string;
  now: Date;
  limit: number;
  cursor?: InboxCursor;
  unreadOnly?: boolean;
  channel?: NotificationChannel;
}

@Injectable()
export class NotificationRepository {
  constructor(@InjectDataSource(NOTIFICATION_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async insert(notification: Notification, manager: EntityManager): Promise<void> {
    await manager.insert(Notification, notification);
  }

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<Notification | null> {
    return manager.findOneBy(Notification, { id });
  }

  /**
   * One page of a user's visible notifications, newest first, by keyset on (available_at, id)
   * through idx_notifications_user_available: the cost of a page does not grow with the inbox.
   */
  findInboxPage(query: InboxPageQuery): Promise<Notification[]> {
    const builder = this.dataSource.manager
      .createQueryBuilder(Notification, 'n')
      .where('n.user_id = :userId', { userId: query.userId })
      .andWhere('n.available_at <= :now', { now: query.now });
    if (query.cursor) {
      const { availableAt, id } = query.cursor;
      builder.andWhere(
        new Brackets((where) =>
          where
            .where('n.available_at < :cursorAt', { cursorAt: availableAt })
            .orWhere('(n.available_at = :cursorAt AND n.id < :cursorId)', { cursorAt: availableAt, cursorId: id }),
        ),
      );
    }
    if (query.unreadOnly) builder.andWhere('n.read_at IS NULL');
    if (query.channel) builder.andWhere('n.channel = :channel', { channel: query.channel });
    return builder.orderBy('n.available_at', 'DESC').addOrderBy('n.id', 'DESC').limit(query.limit).getMany();
  }

  /** Unread, visible notifications of a user, through idx_notifications_user_unread. */
  countUnread(userId: string, now: Date, channel?: NotificationChannel): Promise<number> {
    const builder = this.dataSource.manager
      .createQueryBuilder(Notification, 'n')
      .where('n.user_id = :userId', { userId })
      .andWhere('n.read_at IS NULL')
      .andWhere('n.available_at <= :now', { now });
    if (channel) builder.andWhere('n.channel = :channel', { channel });
    return builder.getCount();
  }

  async markRead(id: string, readAt: Date, manager: EntityManager): Promise<void> {
    await manager.update(Notification, { id }, { status: 'read', readAt });
  }

  /** Marks scheduled in-app notifications whose time has come as sent; returns how many. */
  async releaseDueInApp(now: Date, manager: EntityManager): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(Notification)
      .set({ status: 'sent', sentAt: () => 'scheduled_at' })
      .where('status = :status', { status: 'scheduled' })
      .andWhere('scheduled_at <= :now', { now })
      .andWhere('channel = :channel', { channel: 'in_app' })
      .execute();
    return result.affected ?? 0;
  }

  /** Records where delivery got to; a notification already read keeps its status. */
  async recordDeliveryOutcome(
    id: string,
    outcome: { status: NotificationStatus; sentAt?: Date; error?: string | null },
    manager: EntityManager,
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(Notification)
      .set({ status: outcome.status, ...(outcome.sentAt ? { sentAt: outcome.sentAt } : {}), error: outcome.error ?? null })
      .where('id = :id', { id })
      .andWhere("status <> 'read'")
      .execute();
  }
}
