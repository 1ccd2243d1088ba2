import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In } from 'typeorm';
import { NOTIFICATION_DATA_SOURCE } from '../../database/data-source-names';
import { EntityTable } from '../../database/engine/entity-table';
import { Notification, NotificationChannel, NotificationStatus } from '../entities/notification.entity';
import type { Db, Tx } from '../../database/engine/tx';

/** Position in an inbox: the last item of the previous page. */
export interface InboxCursor {
  availableAt: Date;
  id: string;
}

/** Which part of a user's notifications a page lists. */
export type InboxView = 'inbox' | 'archived' | 'snoozed';

export interface InboxPageQuery {
  userId: string;
  limit: number;
  cursor?: InboxCursor;
  view?: InboxView;
  unreadOnly?: boolean;
  channel?: NotificationChannel;
  notificationType?: string;
  category?: string;
  status?: NotificationStatus;
}

/** The inbox state of a notification, as bulk changes read it. */
export type InboxRowState = Pick<Notification, 'id' | 'relistAt' | 'archivedAt' | 'readAt' | 'seenAt'>;

/** Where a page of each view looks: in the inbox means come in (relist_at null) and not archived. */
const VIEW_WHERE: Record<InboxView, string> = {
  inbox: 'relist_at IS NULL AND archived_at IS NULL',
  archived: 'archived_at IS NOT NULL',
  snoozed: 'snoozed_until IS NOT NULL',
};

/** Every column an inbox action may change. */
const INBOX_STATE_PROPERTIES: Array<keyof Notification & string> = [
  'status',
  'readAt',
  'seenAt',
  'archivedAt',
  'snoozedUntil',
  'relistAt',
  'availableAt',
  'actionTakenId',
  'actionTakenAt',
  'silent',
];

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
    const where = ['user_id = ?', VIEW_WHERE[query.view ?? 'inbox']];
    const params: unknown[] = [query.userId];
    if (query.cursor) {
      where.push('(available_at < ? OR (available_at = ? AND id < ?))');
      params.push(at(query.cursor.availableAt), at(query.cursor.availableAt), query.cursor.id);
    }
    if (query.unreadOnly) where.push('read_at IS NULL');
    const equal: Array<[string, string | undefined]> = [
      ['channel', query.channel],
      ['notification_type', query.notificationType],
      ['category', query.category],
      ['status', query.status],
    ];
    for (const [column, value] of equal) {
      if (value === undefined) continue;
      where.push(`${column} = ?`);
      params.push(value);
    }
    return this.table.findMany(db, where.join(' AND '), params, 'available_at DESC, id DESC', query.limit);
  }

  /** Unread notifications of a user in the inbox on one channel (all channels: see InboxCounterRepository). */
  countUnreadOnChannel(db: Db, userId: string, channel: NotificationChannel): Promise<number> {
    return this.table.count(db, `user_id = ? AND read_at IS NULL AND ${VIEW_WHERE.inbox} AND channel = ?`, [userId, channel]);
  }

  /** Writes what an inbox action changed. */
  async saveInboxState(tx: Tx, notification: Notification): Promise<void> {
    await this.table.update(tx, 'id', notification, INBOX_STATE_PROPERTIES);
  }

  async deleteById(tx: Tx, id: string): Promise<void> {
    await tx.delete(Notification, { id });
  }

  /** The inbox state of a user's notifications matching `where` (bulk actions count their change from it). */
  findStatesForUser(
    db: Db,
    userId: string,
    where: 'unread' | 'unseen' | 'read_in_inbox',
    notificationType?: string,
  ): Promise<InboxRowState[]> {
    const conditions = {
      unread: 'read_at IS NULL',
      unseen: 'seen_at IS NULL',
      read_in_inbox: `read_at IS NOT NULL AND ${VIEW_WHERE.inbox}`,
    }[where];
    const query = db
      .createQueryBuilder(Notification, 'n')
      .select(['n.id', 'n.relistAt', 'n.archivedAt', 'n.readAt', 'n.seenAt'])
      .where(`n.user_id = :userId AND ${conditions}`, { userId });
    if (notificationType !== undefined) query.andWhere('n.notification_type = :notificationType', { notificationType });
    return query.getMany();
  }

  /** Sets the given columns on notifications by id, in chunks SQLite's parameter limit allows. */
  async updateMany(
    tx: Tx,
    ids: string[],
    values: Partial<Pick<Notification, 'status' | 'readAt' | 'seenAt' | 'archivedAt'>>,
  ): Promise<void> {
    for (let i = 0; i < ids.length; i += 500) await tx.update(Notification, { id: In(ids.slice(i, i + 500)) }, values);
  }

  /** Notifications due to come (back) into the inbox, through idx_notifications_relist (or _user_relist for one user). */
  findDueToRelist(db: Db, now: Date, limit: number, userId?: string): Promise<Notification[]> {
    const due = this.table.value('relistAt', now);
    return userId === undefined
      ? this.table.findMany(db, 'relist_at IS NOT NULL AND relist_at <= ?', [due], 'relist_at', limit)
      : this.table.findMany(db, 'user_id = ? AND relist_at IS NOT NULL AND relist_at <= ?', [userId, due], 'relist_at', limit);
  }

  /** Whether one of a user's notifications is due to come (back) into the inbox. */
  async hasDueToRelist(db: Db, userId: string, now: Date): Promise<boolean> {
    const due = await this.table.findOnePick(db, ['id'], 'user_id = ? AND relist_at IS NOT NULL AND relist_at <= ?', [
      userId,
      this.table.value('relistAt', now),
    ]);
    return due !== null;
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

  /** Gathers a notification into a digest; one already read keeps that status. */
  async gatherIntoDigest(tx: Tx, id: string, digestId: string): Promise<void> {
    await tx
      .createQueryBuilder()
      .update(Notification)
      .set({ digestId, status: () => "CASE WHEN status = 'read' THEN 'read' ELSE 'digested' END" })
      .where('id = :id', { id })
      .execute();
  }
}
