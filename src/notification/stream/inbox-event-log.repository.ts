import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { NOTIFICATION_DATA_SOURCE } from '../../database/data-source-names';
import { EntityTable } from '../../database/engine/entity-table';
import { sql } from '../../database/engine/sql';
import type { Db, Tx } from '../../database/engine/tx';
import { upsertAddAndRead } from '../../database/engine/upsert';
import { InboxEventRecord } from './entities/inbox-event.entity';
import { InboxEventHead } from './entities/inbox-event-head.entity';
import type { InboxEvent, InboxEventType } from './inbox-event';

/** Each user's inbox events (inbox_events) and the id of their last one (inbox_event_heads). */
@Injectable()
export class InboxEventLogRepository {
  private readonly events: EntityTable<InboxEventRecord>;
  private readonly heads: EntityTable<InboxEventHead>;

  constructor(@InjectDataSource(NOTIFICATION_DATA_SOURCE) dataSource: DataSource) {
    this.events = new EntityTable(dataSource, InboxEventRecord);
    this.heads = new EntityTable(dataSource, InboxEventHead);
  }

  /**
   * Appends an event to the user's log, in `tx`, with the id after their last one, and drops
   * what falls beyond the `keep` newest. The head row also makes concurrent appends for one user
   * take turns (its write lock), so ids commit in their order on any database.
   */
  async append(tx: Tx, event: Omit<InboxEvent, 'id'>, at: Date, keep: number): Promise<number> {
    const { last_event_id: id } = await upsertAddAndRead(tx, 'inbox_event_heads', { user_id: event.userId }, { last_event_id: 1 });
    await this.events.insert(tx, Object.assign(new InboxEventRecord(), { ...event, id, createdAt: at }));
    // Through the primary key (user_id, id): about one row each time once a user has `keep`.
    if (id > keep) await sql.run(tx, 'DELETE FROM "inbox_events" WHERE "user_id" = ? AND "id" <= ?', [event.userId, id - keep]);
    return id;
  }

  /** The id of the user's last event; 0 before their first. */
  async lastId(db: Db, userId: string): Promise<number> {
    return (await this.heads.findOnePick(db, ['lastEventId'], 'user_id = ?', [userId]))?.lastEventId ?? 0;
  }

  /** The user's events after `afterId` and since `since`, oldest first, through the primary key. */
  async findAfter(db: Db, userId: string, afterId: number, since: Date, limit: number): Promise<InboxEvent[]> {
    const rows = await this.events.findMany(
      db,
      'user_id = ? AND id > ? AND created_at >= ?',
      [userId, afterId, this.events.value('createdAt', since)],
      'id',
      limit,
    );
    return rows.map((row) => ({ userId: row.userId, id: row.id, type: row.type as InboxEventType, data: row.data }));
  }

  /** Erases a user's events and their head (a stream of theirs still open then resets). */
  async eraseUser(tx: Tx, userId: string): Promise<void> {
    await sql.run(tx, 'DELETE FROM "inbox_events" WHERE "user_id" = ?', [userId]);
    await sql.run(tx, 'DELETE FROM "inbox_event_heads" WHERE "user_id" = ?', [userId]);
  }

  /** Deletes up to `limit` events older than `cutoff` (through idx_inbox_events_created); returns how many. */
  deleteOlderThan(tx: Tx, cutoff: Date, limit: number): Promise<number> {
    return sql.run(
      tx,
      'DELETE FROM "inbox_events" WHERE ("user_id", "id") IN (SELECT "user_id", "id" FROM "inbox_events" WHERE "created_at" < ? LIMIT ?)',
      [this.events.value('createdAt', cutoff), limit],
    );
  }
}
