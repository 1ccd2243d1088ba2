import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { NOTIFICATION_DATA_SOURCE } from '../../database/data-source-names';
import { EntityTable } from '../../database/engine/entity-table';
import { Notification, NotificationChannel, NotificationStatus } from '../entities/notification.entity';
import type { Db, Tx } from '../../database/engine/tx';

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
  private readonly table: EntityTable<Notification>;

  constructor(@InjectDataSource(NOTIFICATION_DATA_SOURCE) private readonly dataSource: DataSource) {
    this.table = new EntityTable(dataSource, Notification);
  }

  async insert(tx: Tx, notification: Notification): Promise<void> {
    await tx.insert(Notification, notification);
  }

  findById(db: Db, id: string): Promise<Notification | null> {
    return db.findOneBy(Notification, { id });
  }

  /**
   * One page of a user's visible notifications, newest first, by keyset on (available_at, id)
   * through idx_notifications_user_available: the cost of a page does not grow with the inbox.
   * Every app open reads this, so it runs as a prepared statement (see EntityTable).
   */
  findInboxPage(db: Db, query: InboxPageQuery): Promise<Notification[]> {
    const at = (date: Date) => this.table.value('availableAt', date);
    const where = ['user_id = ?', 'available_at <= ?'];
    const params: unknown[] = [query.userId, at(query.now)];
    if (query.cursor) {
      where.push('(available_at < ? OR (available_at = ? AND id < ?))');
      params.push(at(query.cursor.availableAt), at(query.cursor.availableAt), query.cursor.id);
    }
    if (query.unreadOnly) where.push('read_at IS NULL');
    if (query.channel) {
      where.push('channel = ?');
      params.push(query.channel);
    }
    return this.table.findMany(db, where.join(' AND '), params, 'available_at DESC, id DESC', query.limit);
  }

  /** Unread, visible notifications of a user, from idx_notifications_user_unread alone. */
  countUnread(db: Db, userId: string, now: Date, channel?: NotificationChannel): Promise<number> {
    const where = 'user_id = ? AND read_at IS NULL AND available_at <= ?';
    const params = [userId, this.table.value('availableAt', now)];
    return channel ? this.table.count(db, `${where} AND channel = ?`, [...params, channel]) : this.table.count(db, where, params);
  }

  async markRead(tx: Tx, id: string, readAt: Date): Promise<void> {
    await tx.update(Notification, { id }, { status: 'read', readAt });
  }

  /** Marks scheduled in-app notifications whose time has come as sent; returns how many. */
  async releaseDueInApp(tx: Tx, now: Date): Promise<number> {
    const result = await tx
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
    tx: Tx,
    id: string,
    outcome: { status: NotificationStatus; sentAt?: Date; error?: string | null },
  ): Promise<void> {
    await tx
      .createQueryBuilder()
      .update(Notification)
      .set({ status: outcome.status, ...(outcome.sentAt ? { sentAt: outcome.sentAt } : {}), error: outcome.error ?? null })
      .where('id = :id', { id })
      .andWhere("status <> 'read'")
      .execute();
  }
}
