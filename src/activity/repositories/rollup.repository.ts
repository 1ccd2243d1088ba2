import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Between, DataSource } from 'typeorm';
import { ACTIVITY_DATA_SOURCE } from '../../database/data-source-names';
import { sql } from '../../database/engine/sql';
import { CommitBuffer } from '../../database/engine/commit-buffer';
import { EntityTable } from '../../database/engine/entity-table';
import { SqliteReader } from '../../database/engine/sqlite-reader';
import { DailyCount, DailyCountKind } from '../entities/daily-count.entity';
import { DailyStat } from '../entities/daily-stat.entity';
import { UserActiveDay } from '../entities/user-active-day.entity';
import { UserActivity } from '../entities/user-activity.entity';
import { UserCohort } from '../entities/user-cohort.entity';
import type { StepEvent } from '../insights/insights-rules';
import type { Db, Tx } from '../../database/engine/tx';

interface StepRow {
  user_id: string;
  activity_type: string;
  page_url: string | null;
  timestamp: unknown;
}

type StatField = 'events' | 'sessionsStarted' | 'sessionsEnded' | 'sessionSeconds';

/** The daily rollups behind app-wide analytics: written by ingest, read by overview and retention. */
@Injectable()
export class RollupRepository {
  private readonly activities: EntityTable<UserActivity>;
  private readonly reader: SqliteReader;
  /** Past this many events in its range, a funnel streams through the user index instead of sorting. */
  static sortedFunnelMaxEvents = 200_000;

  /** The funnel read running now (one at a time: each takes a connection and a CPU's worth). */
  private funnelReads: Promise<void> = Promise.resolve();

  constructor(@InjectDataSource(ACTIVITY_DATA_SOURCE) private readonly dataSource: DataSource) {
    this.activities = new EntityTable(dataSource, UserActivity);
    this.reader = new SqliteReader(dataSource);
  }

  async addToDay(tx: Tx, day: string, changes: Partial<Record<StatField, number>>): Promise<void> {
    const columns: Record<StatField, string> = {
      events: 'events',
      sessionsStarted: 'sessions_started',
      sessionsEnded: 'sessions_ended',
      sessionSeconds: 'session_seconds',
    };
    const deltas = Object.fromEntries(Object.entries(changes).map(([field, delta]) => [columns[field as StatField], delta as number]));
    // Every event adds to the day's row: summed over the transaction, written at its commit.
    await CommitBuffer.add(tx, 'daily_stats', { day }, deltas);
  }

  async countOnDay(tx: Tx, day: string, kind: DailyCountKind, key: string): Promise<void> {
    await CommitBuffer.add(tx, 'daily_counts', { day, kind, key }, { count: 1 });
  }

  /** Records a user's first active day; an earlier day (a late event) moves it back. */
  async noteActiveDay(tx: Tx, userId: string, day: string): Promise<void> {
    await sql.run(
      tx,
      'INSERT INTO user_cohorts (user_id, first_day) VALUES (?, ?) ' +
        'ON CONFLICT (user_id) DO UPDATE SET first_day = excluded.first_day WHERE excluded.first_day < user_cohorts.first_day',
      [userId, day],
    );
  }

  async replaceCohort(tx: Tx, userId: string, firstDay: string | null): Promise<void> {
    await tx.delete(UserCohort, { userId });
    if (firstDay) await tx.insert(UserCohort, { userId, firstDay });
  }

  dailyStats(db: Db, fromDay: string, toDay: string): Promise<DailyStat[]> {
    return db.find(DailyStat, { where: { day: Between(fromDay, toDay) }, order: { day: 'ASC' } });
  }

  /** (user, day) pairs with activity in the range, through idx_user_active_days_day. */
  activeUserDays(db: Db, fromDay: string, toDay: string): Promise<UserActiveDay[]> {
    return db.find(UserActiveDay, { where: { day: Between(fromDay, toDay) } });
  }

  cohortsBetween(db: Db, fromDay: string, toDay: string): Promise<UserCohort[]> {
    return db.find(UserCohort, { where: { firstDay: Between(fromDay, toDay) } });
  }

  async topCounts(
    db: Db,
    kind: DailyCountKind,
    fromDay: string,
    toDay: string,
    limit: number,
  ): Promise<Array<{ key: string; count: number }>> {
    const rows = await db
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
   * Visits the events of a funnel's steps in its range, per user in time order, bots left out,
   * streamed: the funnel holds one user's state at a time, never the events (a million of them
   * took the process past its heap limit).
   *
   * On SQLite they are read on a connection of their own, one funnel at a time, in one of two ways:
   * - a range of at most `sortedFunnelMaxEvents` events is found through idx_user_activities_time
   *   and sorted by SQLite (in temp files past its cache, so memory stays bounded): the work
   *   follows the range, and the sort holds the event loop for a few hundred milliseconds at most;
   * - a larger range is read in the order of idx_user_activities_user_time (INDEXED BY): rows come
   *   as they are found, with a turn of the event loop every few thousand, where a sort would
   *   first take seconds (3M events: 2.7 s) with the loop held. This passes over the whole index.
   */
  async forEachStepEvent(db: Db, steps: string[], from: Date, to: Date, visit: (event: StepEvent) => void): Promise<void> {
    const marks = steps.map(() => '?').join(', ');
    const range = [this.activities.value('timestamp', from), this.activities.value('timestamp', to)];
    const filter =
      `WHERE (activity_type IN (${marks}) OR page_url IN (${marks})) AND "timestamp" >= ? AND "timestamp" <= ? AND is_bot = ? ` +
      'ORDER BY user_id, "timestamp"';
    const params = [...steps, ...steps, ...range, this.activities.value('isBot', false)];
    const toEvent = (row: StepRow): StepEvent => ({
      userId: row.user_id,
      activityType: row.activity_type,
      pageUrl: row.page_url,
      timestamp: this.activities.fromStored('timestamp', row.timestamp) as Date,
    });
    const columns = 'SELECT user_id, activity_type, page_url, "timestamp" FROM user_activities';
    if (!this.reader.available) {
      await sql.each<StepRow>(db, `${columns} ${filter}`, params, (row) => visit(toEvent(row)));
      return;
    }
    const previous = this.funnelReads;
    let done!: () => void;
    this.funnelReads = new Promise<void>((resolve) => (done = resolve));
    await previous;
    try {
      // Counted on the app's connection (a prepared statement, no connection to open), from the
      // time index alone, and only up to the threshold: a few milliseconds at most.
      const inRange = await sql.one<{ n: number }>(
        db,
        'SELECT COUNT(*) AS n FROM (SELECT 1 FROM user_activities INDEXED BY idx_user_activities_time WHERE "timestamp" >= ? AND "timestamp" <= ? LIMIT ?)',
        [...range, RollupRepository.sortedFunnelMaxEvents + 1],
      );
      const index =
        (inRange?.n ?? 0) <= RollupRepository.sortedFunnelMaxEvents ? 'idx_user_activities_time' : 'idx_user_activities_user_time';
      await this.reader.each<StepRow>(`${columns} INDEXED BY ${index} ${filter}`, params, (row) => visit(toEvent(row)));
    } finally {
      done();
    }
  }
}
