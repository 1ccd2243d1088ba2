import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, DataSource, EntityManager } from 'typeorm';
import { ACTIVITY_DATA_SOURCE } from '../../database/data-source-names';
import { sql } from '../../database/sql';
import { CommitBuffer } from '../../database/commit-buffer';
import { DailyCount, DailyCountKind } from '../entities/daily-count.entity';
import { DailyStat } from '../entities/daily-stat.entity';
import { UserActiveDay } from '../entities/user-active-day.entity';
import { UserActivity } from '../entities/user-activity.entity';
import { UserCohort } from '../entities/user-cohort.entity';

type StatField = 'events' | 'sessionsStarted' | 'sessionsEnded' | 'sessionSeconds';

/** The daily rollups behind app-wide analytics: written by ingest, read by overview and retention. */
@Injectable()
export class RollupRepository {
  constructor(@InjectDataSource(ACTIVITY_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async addToDay(day: string, changes: Partial<Record<StatField, number>>, manager: EntityManager): Promise<void> {
    const columns: Record<StatField, string> = {
      events: 'events',
      sessionsStarted: 'sessions_started',
      sessionsEnded: 'sessions_ended',
      sessionSeconds: 'session_seconds',
    };
    const deltas = Object.fromEntries(Object.entries(changes).map(([field, delta]) => [columns[field as StatField], delta as number]));
    // Every event adds to the day's row: summed over the transaction, written at its commit.
    await CommitBuffer.add(manager, 'daily_stats', { day }, deltas);
  }

  async countOnDay(day: string, kind: DailyCountKind, key: string, manager: EntityManager): Promise<void> {
    await CommitBuffer.add(manager, 'daily_counts', { day, kind, key }, { count: 1 });
  }

  /** Records a user's first active day; an earlier day (a late event) moves it back. */
  async noteActiveDay(userId: string, day: string, manager: EntityManager): Promise<void> {
    await sql.run(
      manager,
      'INSERT INTO user_cohorts (user_id, first_day) VALUES (?, ?) ' +
        'ON CONFLICT (user_id) DO UPDATE SET first_day = excluded.first_day WHERE excluded.first_day < user_cohorts.first_day',
      [userId, day],
    );
  }

  async replaceCohort(userId: string, firstDay: string | null, manager: EntityManager): Promise<void> {
    await manager.delete(UserCohort, { userId });
    if (firstDay) await manager.insert(UserCohort, { userId, firstDay });
  }

  dailyStats(fromDay: string, toDay: string): Promise<DailyStat[]> {
    return this.dataSource.manager.find(DailyStat, { where: { day: Between(fromDay, toDay) }, order: { day: 'ASC' } });
  }

  /** (user, day) pairs with activity in the range, through idx_user_active_days_day. */
  activeUserDays(fromDay: string, toDay: string): Promise<UserActiveDay[]> {
    return this.dataSource.manager.find(UserActiveDay, { where: { day: Between(fromDay, toDay) } });
  }

  cohortsBetween(fromDay: string, toDay: string): Promise<UserCohort[]> {
    return this.dataSource.manager.find(UserCohort, { where: { firstDay: Between(fromDay, toDay) } });
  }

  async topCounts(kind: DailyCountKind, fromDay: string, toDay: string, limit: number): Promise<Array<{ key: string; count: number }>> {
    const rows = await this.dataSource.manager
      .createQueryBuilder(DailyCount, 'c')
      .select('c.key', 'key')
      .addSelect('SUM(c.count)', 'count')
      .where('c.kind = :kind', { kind })
      .andWhere('c.day BETWEEN :fromDay AND :toDay', { fromDay, toDay })
      .groupBy('c.key')
      .orderBy('count', 'DESC')
      .addOrderBy('c.key', 'ASC')
      .limit(limit)
      .getRawMany<{ key: string; count: string | number }>();
    return rows.map((row) => ({ key: row.key, count: Number(row.count) }));
  }

  /**
   * The events of a funnel's steps in its range, per user in time order, bots left out: through
   * idx_user_activities_type_time and idx_user_activities_page_time, never the whole table.
   */
  stepEvents(steps: string[], from: Date, to: Date): Promise<Array<Pick<UserActivity, 'userId' | 'activityType' | 'pageUrl' | 'timestamp'>>> {
    return this.dataSource.manager
      .createQueryBuilder(UserActivity, 'a')
      .select(['a.userId', 'a.activityType', 'a.pageUrl', 'a.timestamp'])
      .where('(a.activity_type IN (:...steps) OR a.page_url IN (:...steps))', { steps })
      .andWhere('a.timestamp >= :from AND a.timestamp <= :to', { from, to })
      .andWhere('a.is_bot = :bot', { bot: false })
      .orderBy('a.user_id', 'ASC')
      .addOrderBy('a.timestamp', 'ASC')
      .getMany();
  }
}
