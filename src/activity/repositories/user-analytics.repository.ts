import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ACTIVITY_DATA_SOURCE } from '../../database/data-source-names';
import { CounterKind, UserActivityCounter } from '../entities/user-activity-counter.entity';
import { UserActivity } from '../entities/user-activity.entity';
import { UserAnalytics } from '../entities/user-analytics.entity';
import { UserSession } from '../entities/user-session.entity';

/** A user's history summed up from the raw rows (bots left out), to rebuild the aggregates. */
export interface HistoryTotals {
  activities: number;
  firstActivity: Date | null;
  lastActivity: Date | null;
  sessions: number;
  endedSessions: number;
  totalSessionDuration: number;
  pages: Array<{ key: string; count: number }>;
  features: Array<{ key: string; count: number }>;
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
  constructor(@InjectDataSource(ACTIVITY_DATA_SOURCE) private readonly dataSource: DataSource) {}

  findByUserId(userId: string, manager: EntityManager = this.dataSource.manager): Promise<UserAnalytics | null> {
    return manager.findOneBy(UserAnalytics, { userId });
  }

  /** Writes a user's aggregates; `isNew` says whether the row exists yet, saving a lookup. */
  async store(analytics: UserAnalytics, isNew: boolean, manager: EntityManager): Promise<void> {
    if (isNew) {
      await manager.insert(UserAnalytics, analytics);
      return;
    }
    const { userId, ...fields } = analytics;
    await manager.update(UserAnalytics, { userId }, fields);
  }

  /** Adds one to a user's counter for a page or feature and returns the new count. */
  async incrementCounter(userId: string, kind: CounterKind, key: string, manager: EntityManager): Promise<number> {
    const existing = await manager.findOneBy(UserActivityCounter, { userId, kind, key });
    if (!existing) {
      await manager.insert(UserActivityCounter, { userId, kind, key, count: 1 });
      return 1;
    }
    const count = existing.count + 1;
    await manager.update(UserActivityCounter, { userId, kind, key }, { count });
    return count;
  }

  /** Sums a user's raw history; the basis of a rebuild after identify. */
  async totalsFromHistory(userId: string, manager: EntityManager): Promise<HistoryTotals> {
    const human = (alias: string) => `${alias}.user_id = :userId AND ${alias}.is_bot = :bot`;
    const params = { userId, bot: false };
    const totals = await manager
      .createQueryBuilder(UserActivity, 'a')
      .select('COUNT(*)', 'count')
      .addSelect('MIN(a.timestamp)', 'first')
      .addSelect('MAX(a.timestamp)', 'last')
      .where(human('a'), params)
      .getRawOne<{ count: string | number; first: unknown; last: unknown }>();
    const ranked = (kindFilter: string, keyColumn: string) =>
      manager
        .createQueryBuilder(UserActivity, 'a')
        .select(keyColumn, 'key')
        .addSelect('COUNT(*)', 'count')
        .where(human('a'), params)
        .andWhere(kindFilter, { pageView: 'page_view' })
        .groupBy(keyColumn)
        .getRawMany<{ key: string; count: string | number }>();
    const pages = await ranked("a.activity_type = :pageView AND a.page_url IS NOT NULL", 'a.page_url');
    const features = await ranked('a.activity_type <> :pageView', 'a.activity_type');
    const sessions = await manager
      .createQueryBuilder(UserSession, 's')
      .select('COUNT(*)', 'count')
      .addSelect('COUNT(s.end_time)', 'ended')
      .addSelect('COALESCE(SUM(s.duration), 0)', 'duration')
      .where('s.user_id = :userId', { userId })
      .getRawOne<{ count: string | number; ended: string | number; duration: string | number }>();
    const asCounts = (rows: Array<{ key: string; count: string | number }>) => rows.map((row) => ({ key: row.key, count: Number(row.count) }));
    return {
      activities: Number(totals?.count ?? 0),
      firstActivity: toDate(totals?.first),
      lastActivity: toDate(totals?.last),
      sessions: Number(sessions?.count ?? 0),
      endedSessions: Number(sessions?.ended ?? 0),
      totalSessionDuration: Number(sessions?.duration ?? 0),
      pages: asCounts(pages),
      features: asCounts(features),
    };
  }

  /** Replaces a user's counters with the given ones. */
  async replaceCounters(userId: string, counters: UserActivityCounter[], manager: EntityManager): Promise<void> {
    await manager.delete(UserActivityCounter, { userId });
    if (counters.length > 0) await manager.insert(UserActivityCounter, counters);
  }
}
