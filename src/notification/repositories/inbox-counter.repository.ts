import { Injectable } from '@nestjs/common';
import { upsertAdd } from '../../database/engine/upsert';
import type { Db, Tx } from '../../database/engine/tx';
import { InboxCounter } from '../entities/inbox-counter.entity';
import { Notification } from '../entities/notification.entity';
import { type InboxCounts, isNoChange, NO_COUNTS } from '../inbox/inbox-counts';

@Injectable()
export class InboxCounterRepository {
  /** Adds a change to a user's counts, in the transaction that made it. */
  async add(tx: Tx, userId: string, change: InboxCounts): Promise<void> {
    if (isNoChange(change)) return;
    await upsertAdd(tx, 'inbox_counters', { user_id: userId }, { total: change.total, unread: change.unread, unseen: change.unseen });
  }

  /** A user's counts: one primary-key read. */
  async find(db: Db, userId: string): Promise<InboxCounts> {
    const row = await db.findOneBy(InboxCounter, { userId });
    return row ? { total: row.total, unread: row.unread, unseen: row.unseen } : { ...NO_COUNTS };
  }

  /** The counts computed from the notifications themselves: what the counters must always equal. */
  async recount(db: Db, userId: string): Promise<InboxCounts> {
    const row = await db
      .createQueryBuilder(Notification, 'n')
      .select('COUNT(*)', 'total')
      .addSelect('SUM(CASE WHEN n.read_at IS NULL THEN 1 ELSE 0 END)', 'unread')
      .addSelect('SUM(CASE WHEN n.seen_at IS NULL THEN 1 ELSE 0 END)', 'unseen')
      .where('n.user_id = :userId AND n.relist_at IS NULL AND n.archived_at IS NULL', { userId })
      .getRawOne<{ total: number | string; unread: number | string | null; unseen: number | string | null }>();
    return { total: Number(row?.total ?? 0), unread: Number(row?.unread ?? 0), unseen: Number(row?.unseen ?? 0) };
  }

  async erase(tx: Tx, userId: string): Promise<void> {
    await tx.delete(InboxCounter, { userId });
  }
}
