import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ACTIVITY_DATA_SOURCE } from '../../database/data-source-names';
import { EntityTable } from '../../database/engine/entity-table';
import { insertIfAbsent, upsertAddAndRead } from '../../database/engine/upsert';
import { CounterKind, UserActivityCounter } from '../entities/user-activity-counter.entity';
import { parseUserAgent } from '../ingest/user-agent';
import { referrerHost } from '../analytics-rules';
import type { HistoryTotals } from '../analytics-rules';
import { UserActiveDay } from '../entities/user-active-day.entity';
import { UserActivity } from '../entities/user-activity.entity';
import { UserAnalytics } from '../entities/user-analytics.entity';
import { UserSession } from '../entities/user-session.entity';
import type { Db, Tx } from '../../database/engine/tx';

/** Sums counts by a derived key (many referrer URLs share one host, many user agents one device type). */
function regroup(rows: Array<{ key: string | null; count: string | number }>, keyOf: (raw: string) => string | null) {
  const sums = new Map<string, number>();
  for (const row of rows) {
    const key = row.key === null ? null : keyOf(row.key);
    if (key !== null) sums.set(key, (sums.get(key) ?? 0) + Number(row.count));
  }
  return [...sums].map(([key, count]) => ({ key, count }));
}

/** Raw MIN/MAX of a datetime column come back as text in SQLite and as Date in PostgreSQL. */
function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

@Injectable()
export class UserAnalyticsRepository {
  private readonly table: EntityTable<UserAnalytics>;

  constructor(@InjectDataSource(ACTIVITY_DATA_SOURCE) private readonly dataSource: DataSource) {
    this.table = new EntityTable(dataSource, UserAnalytics);
  }

  findByUserId(db: Db, userId: string): Promise<UserAnalytics | null> {
    return this.table.findOne(db, 'user_id = ?', [userId]);
  }

  /** Writes a user's aggregates; `isNew` says whether the row exists yet, saving a lookup. */
  async store(tx: Tx, analytics: UserAnalytics, isNew: boolean): Promise<void> {
    if (isNew) await this.table.insert(tx, analytics);
    else await this.table.update(tx, 'userId', analytics);
  }

  /** Records that the user was active on `day`; true when it is a day not seen before. */
  markActiveDay(tx: Tx, userId: string, day: string): Promise<boolean> {
    return insertIfAbsent(tx, 'user_active_days', { user_id: userId, day });
  }

  /** Adds one to a user's counter for a page, feature, referrer or device and returns the new count. */
  async incrementCounter(tx: Tx, userId: string, kind: CounterKind, key: string): Promise<number> {
    return (await upsertAddAndRead(tx, 'user_activity_counters', { user_id: userId, kind, key }, { count: 1 })).count;
  }

  /** Sums a user's raw history; the basis of a rebuild after identify. */
  async totalsFromHistory(db: Db, userId: string): Promise<HistoryTotals> {
    const human = (alias: string) => `${alias}.user_id = :userId AND ${alias}.is_bot = :bot`;
    const params = { userId, bot: false };
    const totals = await db
      .createQueryBuilder(UserActivity, 'a')
      .select('COUNT(*)', 'count')
      .addSelect('MIN(a.timestamp)', 'first')
      .addSelect('MAX(a.timestamp)', 'last')
      .addSelect('MIN(COALESCE(a.received_at, a.timestamp))', 'seen')
      .where(human('a'), params)
      .getRawOne<{ count: string | number; first: unknown; last: unknown; seen: unknown }>();
    const ranked = (kindFilter: string, keyColumn: string) =>
      db
        .createQueryBuilder(UserActivity, 'a')
        .select(keyColumn, 'key')
        .addSelect('COUNT(*)', 'count')
        .where(human('a'), params)
        .andWhere(kindFilter, { pageView: 'page_view' })
        .groupBy(keyColumn)
        .getRawMany<{ key: string; count: string | number }>();
    const pages = await ranked('a.activity_type = :pageView AND a.page_url IS NOT NULL', 'a.page_url');
    const features = await ranked('a.activity_type <> :pageView', 'a.activity_type');
    const byColumn = (column: string) =>
      db
        .createQueryBuilder(UserActivity, 'a')
        .select(column, 'key')
        .addSelect('COUNT(*)', 'count')
        .where(human('a'), params)
        .groupBy(column)
        .getRawMany<{ key: string | null; count: string | number }>();
    const referrers = regroup(await byColumn('a.referrer'), referrerHost);
    const devices = regroup(await byColumn('a.user_agent'), (ua) => parseUserAgent(ua).device_type);
    const days = await db
      .createQueryBuilder(UserActivity, 'a')
      .select('DISTINCT SUBSTR(CAST(a.timestamp AS VARCHAR), 1, 10)', 'day')
      .where(human('a'), params)
      .getRawMany<{ day: string }>();
    const sessions = await db
      .createQueryBuilder(UserSession, 's')
      .select('COUNT(*)', 'count')
      .addSelect('COUNT(s.end_time)', 'ended')
      .addSelect('COALESCE(SUM(s.duration), 0)', 'duration')
      .where(human('s'), params)
      .getRawOne<{ count: string | number; ended: string | number; duration: string | number }>();
    const asCounts = (rows: Array<{ key: string; count: string | number }>) =>
      rows.map((row) => ({ key: row.key, count: Number(row.count) }));
    return {
      activities: Number(totals?.count ?? 0),
      firstActivity: toDate(totals?.first),
      lastActivity: toDate(totals?.last),
      sessions: Number(sessions?.count ?? 0),
      endedSessions: Number(sessions?.ended ?? 0),
      totalSessionDuration: Number(sessions?.duration ?? 0),
      pages: asCounts(pages),
      features: asCounts(features),
      referrers,
      devices,
      firstSeen: toDate(totals?.seen),
      activeDays: days.length,
      days: days.map((row) => row.day),
    };
  }

  /** Replaces a user's counters and active days with the given ones. */
  async replaceCounters(tx: Tx, userId: string, counters: UserActivityCounter[], days: string[]): Promise<void> {
    await tx.delete(UserActivityCounter, { userId });
    if (counters.length > 0) await tx.insert(UserActivityCounter, counters);
    await tx.delete(UserActiveDay, { userId });
    if (days.length > 0)
      await tx.insert(
        UserActiveDay,
        days.map((day) => ({ userId, day })),
      );
  }
}
