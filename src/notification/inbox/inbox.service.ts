import { BadRequestException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { validationFailed } from '../../common/validation/validation.pipe';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import type { Tx } from '../../database/engine/tx';
import { ChannelRegistry } from '../delivery/channel-registry';
import type { InboxQueryDto } from '../dto/notification.dto';
import { Notification } from '../entities/notification.entity';
import { decodeInboxCursor, encodeInboxCursor } from '../inbox-cursor';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { DeliveryJobRepository } from '../repositories/delivery-job.repository';
import { InboxCounterRepository } from '../repositories/inbox-counter.repository';
import { NotificationDeliveryRepository } from '../repositories/notification-delivery.repository';
import { type InboxRowState, NotificationRepository } from '../repositories/notification.repository';
import { countsChange, type InboxCounts } from './inbox-counts';
import type { InboxBulkAction } from '../stream/dto/stream.dto';
import { InboxEventsService } from '../stream/inbox-events.service';
import { QuietHoursService } from '../schedule/quiet-hours.service';

export const DEFAULT_INBOX_LIMIT = 50;

/** Most notifications the relisting step brings back in one transaction. */
const RELIST_BATCH = 500;

/** The bulk action that changes each selection of rows (one each): what its stream event names. */
const BULK_ACTIONS: Record<'unread' | 'unseen' | 'read_in_inbox', InboxBulkAction['action']> = {
  unread: 'read_all',
  unseen: 'seen_all',
  read_in_inbox: 'archive_read',
};

export interface InboxPage {
  notifications: Notification[];
  unreadCount: number;
  nextCursor: string | null;
}

/** A notification after an action on it, with its user's counts after it. */
export interface InboxChange {
  notification: Notification;
  counts: InboxCounts;
}

/** A bulk action's result: how many notifications it changed, and the user's counts after it. */
export interface InboxBulkChange {
  updated: number;
  counts: InboxCounts;
}

/**
 * A user's inbox: listing, counts, and every action on its items. Each action reads the item,
 * changes it and the user's counters in one transaction (see inbox-counts.ts), so the counts are
 * always those of the rows, never counted per request.
 */
@Injectable()
export class InboxService {
  constructor(
    private readonly notifications: NotificationRepository,
    private readonly counters: InboxCounterRepository,
    private readonly deliveries: NotificationDeliveryRepository,
    private readonly jobs: DeliveryJobRepository,
    private readonly channels: ChannelRegistry,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly events: InboxEventsService,
    private readonly quietHours: QuietHoursService,
  ) {}

  async list(userId: string, query: InboxQueryDto): Promise<InboxPage> {
    if (query.channel !== undefined) this.channels.assertKnown('channel', query.channel);
    const cursor = query.cursor !== undefined ? decodeInboxCursor(query.cursor) : undefined;
    if (cursor === null) throw invalid('cursor', 'cursor is not a cursor returned by this endpoint');
    await this.settle(userId);
    const limit = query.limit ?? DEFAULT_INBOX_LIMIT;
    // One row more than asked tells whether another page exists without a second query.
    const rows = await this.notifications.findInboxPage(this.transactions.reads, {
      userId,
      limit: limit + 1,
      cursor,
      view: query.archived ? 'archived' : query.snoozed ? 'snoozed' : 'inbox',
      unreadOnly: query.unread_only,
      channel: query.channel,
      notificationType: query.notification_type,
      category: query.category,
      status: query.status,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      notifications: page,
      unreadCount:
        query.channel === undefined
          ? (await this.counters.find(this.transactions.reads, userId)).unread
          : await this.notifications.countUnreadOnChannel(this.transactions.reads, userId, query.channel),
      nextCursor: rows.length > limit && last ? encodeInboxCursor({ availableAt: last.availableAt, id: last.id }) : null,
    };
  }

  async counts(userId: string): Promise<InboxCounts> {
    await this.settle(userId);
    return this.counters.find(this.transactions.reads, userId);
  }

  /** Marks a notification read (and seen); marking it again keeps the first read_at. */
  markRead(id: string, ownerId: string | null): Promise<InboxChange> {
    return this.change(id, ownerId, (n, now) => {
      if (!n.readAt) Object.assign(n, { readAt: now, status: 'read' });
      n.seenAt ??= now;
    });
  }

  markUnread(id: string, ownerId: string | null): Promise<InboxChange> {
    return this.change(id, ownerId, (n) => {
      if (n.readAt) Object.assign(n, { readAt: null, status: statusBeforeRead(n) });
    });
  }

  markSeen(id: string, ownerId: string | null): Promise<InboxChange> {
    return this.change(id, ownerId, (n, now) => {
      n.seenAt ??= now;
    });
  }

  archive(id: string, ownerId: string | null): Promise<InboxChange> {
    return this.change(id, ownerId, (n, now) => {
      n.archivedAt ??= now;
    });
  }

  unarchive(id: string, ownerId: string | null): Promise<InboxChange> {
    return this.change(id, ownerId, (n) => {
      n.archivedAt = null;
    });
  }

  /** Takes the notification out of the inbox until `until`; it comes back unread, on top. */
  snooze(id: string, ownerId: string | null, until: Date): Promise<InboxChange> {
    return this.change(id, ownerId, (n, now) => {
      if (until <= now) throw invalid('until', 'until must be in the future');
      if (n.relistAt !== null && n.snoozedUntil === null) {
        throw invalid('notification_id', 'the notification is scheduled for later and not in the inbox yet');
      }
      Object.assign(n, { snoozedUntil: until, relistAt: until, archivedAt: null });
    });
  }

  /** Brings a snoozed notification back now. */
  unsnooze(id: string, ownerId: string | null): Promise<InboxChange> {
    return this.change(id, ownerId, (n, now) => {
      if (n.snoozedUntil !== null) comeBack(n, now);
    });
  }

  /** Records that the user took one of the notification's actions; that reads it too. */
  takeAction(id: string, ownerId: string | null, actionId: string): Promise<InboxChange> {
    return this.change(id, ownerId, (n, now) => {
      if (!n.actions?.some((action) => action.action_id === actionId)) {
        throw new NotFoundException({ code: 'action_not_found', message: `Notification ${id} has no action ${actionId}` });
      }
      if (n.actionTakenId === null) Object.assign(n, { actionTakenId: actionId, actionTakenAt: now });
      if (!n.readAt) Object.assign(n, { readAt: now, status: 'read' });
      n.seenAt ??= now;
    });
  }

  /** Deletes a notification with its delivery records and job; its counts go with it. */
  delete(id: string, ownerId: string | null): Promise<InboxCounts> {
    return this.events.run(async (tx, events) => {
      const notification = await this.owned(tx, id, ownerId);
      await this.deliveries.deleteForNotification(tx, id);
      await this.jobs.deleteForNotification(tx, id);
      await this.notifications.deleteById(tx, id);
      await this.counters.add(tx, notification.userId, countsChange(notification, null));
      await events.deleted(notification);
      return this.counters.find(tx, notification.userId);
    });
  }

  /** Marks every unread notification of the user read (of one type, when given): in the inbox or not. */
  readAll(userId: string, notificationType?: string): Promise<InboxBulkChange> {
    return this.bulk(
      userId,
      'unread',
      notificationType,
      (now) => ({ readAt: now, status: 'read' }),
      (row, now) => ({ seenAt: row.seenAt ?? now }),
    );
  }

  seenAll(userId: string): Promise<InboxBulkChange> {
    return this.bulk(userId, 'unseen', undefined, (now) => ({ seenAt: now }));
  }

  /** Archives every read notification in the inbox. */
  archiveRead(userId: string): Promise<InboxBulkChange> {
    return this.bulk(userId, 'read_in_inbox', undefined, (now) => ({ archivedAt: now }));
  }

  /**
   * Brings back into the inbox what is due: scheduled notifications whose time came and snoozed
   * ones whose snooze ended. Runs every second for everyone, and for one user before their inbox
   * or counts are read, so what a user sees never waits for the next tick.
   */
  async relistDue(userId?: string): Promise<number> {
    let relisted = 0;
    for (;;) {
      const now = this.clock.now();
      const count = await this.events.run(async (tx, events) => {
        const due = await this.notifications.findDueToRelist(tx, now, RELIST_BATCH, userId);
        for (const notification of due) {
          const before = { ...notification };
          if (notification.snoozedUntil !== null) comeBack(notification, notification.snoozedUntil);
          else {
            // Come in at its scheduled time: without an alert if that time is in the user's quiet hours or pause.
            notification.silent = await this.quietHours.landsSilently(tx, notification, notification.relistAt!);
            notification.relistAt = null;
          }
          await this.notifications.saveInboxState(tx, notification);
          await this.counters.add(tx, notification.userId, countsChange(before, notification));
          // Back from a snooze it changed; come in at its scheduled time it is new to the inbox.
          await (before.snoozedUntil !== null ? events.updated(notification) : events.created(notification));
        }
        return due.length;
      });
      relisted += count;
      if (count < RELIST_BATCH) return relisted;
    }
  }

  private async settle(userId: string): Promise<void> {
    if (await this.notifications.hasDueToRelist(this.transactions.reads, userId, this.clock.now())) await this.relistDue(userId);
  }

  private change(id: string, ownerId: string | null, apply: (notification: Notification, now: Date) => void): Promise<InboxChange> {
    return this.events.run(async (tx, events) => {
      const notification = await this.owned(tx, id, ownerId);
      const before = { ...notification };
      apply(notification, this.clock.now());
      await this.notifications.saveInboxState(tx, notification);
      await this.counters.add(tx, notification.userId, countsChange(before, notification));
      await events.updated(notification);
      return { notification, counts: await this.counters.find(tx, notification.userId) };
    });
  }

  private bulk(
    userId: string,
    which: 'unread' | 'unseen' | 'read_in_inbox',
    notificationType: string | undefined,
    values: (now: Date) => Partial<Pick<Notification, 'status' | 'readAt' | 'seenAt' | 'archivedAt'>>,
    alsoPerRow?: (row: InboxRowState, now: Date) => Partial<Pick<Notification, 'seenAt'>>,
  ): Promise<InboxBulkChange> {
    return this.events.run(async (tx, events) => {
      const now = this.clock.now();
      const rows = await this.notifications.findStatesForUser(tx, userId, which, notificationType);
      const common = values(now);
      const change = { total: 0, unread: 0, unseen: 0 };
      // Rows that differ in what else changes are written apart (reading sees the unseen).
      const groups = new Map<
        string,
        { ids: string[]; values: Partial<Pick<Notification, 'status' | 'readAt' | 'seenAt' | 'archivedAt'>> }
      >();
      for (const row of rows) {
        const extra = alsoPerRow?.(row, now) ?? {};
        const after = { ...row, ...common, ...extra };
        const delta = countsChange(row, after);
        change.total += delta.total;
        change.unread += delta.unread;
        change.unseen += delta.unseen;
        const key = JSON.stringify(extra);
        const group = groups.get(key) ?? { ids: [], values: { ...common, ...extra } };
        group.ids.push(row.id);
        groups.set(key, group);
      }
      for (const group of groups.values()) await this.notifications.updateMany(tx, group.ids, group.values);
      await this.counters.add(tx, userId, change);
      const bulk = { action: BULK_ACTIONS[which], notification_type: notificationType ?? null, updated: rows.length };
      if (rows.length > 0) await events.bulk(userId, bulk);
      return { updated: rows.length, counts: await this.counters.find(tx, userId) };
    });
  }

  /** The notification, when it exists and (for a user's credential) is theirs. */
  private async owned(tx: Tx, id: string, ownerId: string | null): Promise<Notification> {
    const notification = await this.notifications.findById(tx, id);
    // Another user's notification is reported as missing: its existence is not theirs to learn.
    if (!notification || (ownerId !== null && notification.userId !== ownerId)) {
      throw new NotFoundException({ code: 'notification_not_found', message: `Notification ${id} does not exist` });
    }
    return notification;
  }
}

/** A snoozed notification back in the inbox at `at`: unread, unseen, on top. */
function comeBack(notification: Notification, at: Date): void {
  Object.assign(notification, {
    snoozedUntil: null,
    relistAt: null,
    availableAt: at,
    readAt: null,
    seenAt: null,
    status: notification.status === 'read' ? statusBeforeRead(notification) : notification.status,
  });
}

/** The status a read notification goes back to when it is unread again: how far delivery got. */
function statusBeforeRead(notification: Notification): Notification['status'] {
  return notification.sentAt ? 'sent' : 'queued';
}

function invalid(field: string, message: string): BadRequestException {
  return validationFailed([{ field, messages: [message] }]);
}
