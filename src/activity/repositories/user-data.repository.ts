import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ACTIVITY_DATA_SOURCE } from '../../database/data-source-names';
import { toStoredRow } from '../../database/stored-row';
import { Identity } from '../entities/identity.entity';
import { UserActiveDay } from '../entities/user-active-day.entity';
import { UserActivityCounter } from '../entities/user-activity-counter.entity';
import { UserActivity } from '../entities/user-activity.entity';
import { UserAnalytics } from '../entities/user-analytics.entity';
import { UserCohort } from '../entities/user-cohort.entity';
import { UserSession } from '../entities/user-session.entity';
import type { Db, Tx } from '../../database/engine/tx';

/** Reads and erases everything the activity database holds about one user. */
@Injectable()
export class UserDataRepository {
  constructor(@InjectDataSource(ACTIVITY_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async activities(db: Db, userId: string): Promise<Record<string, unknown>[]> {
    const rows = await db.find(UserActivity, { where: { userId }, order: { timestamp: 'ASC' } });
    return rows.map((row) => toStoredRow(this.dataSource, UserActivity, row));
  }

  async sessions(db: Db, userId: string): Promise<Record<string, unknown>[]> {
    const rows = await db.find(UserSession, { where: { userId }, order: { startTime: 'ASC' } });
    return rows.map((row) => toStoredRow(this.dataSource, UserSession, row));
  }

  async analytics(db: Db, userId: string): Promise<Record<string, unknown> | null> {
    const row = await db.findOneBy(UserAnalytics, { userId });
    return row ? toStoredRow(this.dataSource, UserAnalytics, row) : null;
  }

  async identities(db: Db, userId: string): Promise<Record<string, unknown>[]> {
    const rows = await db.findBy(Identity, { userId });
    return rows.map((row) => toStoredRow(this.dataSource, Identity, row));
  }

  /** The user's page, feature, referrer and device counts behind the top-5 lists. */
  async counters(db: Db, userId: string): Promise<Record<string, unknown>[]> {
    const rows = await db.find(UserActivityCounter, { where: { userId }, order: { kind: 'ASC', key: 'ASC' } });
    return rows.map((row) => toStoredRow(this.dataSource, UserActivityCounter, row));
  }

  /** The UTC days (YYYY-MM-DD) the user was active. */
  async activeDays(db: Db, userId: string): Promise<string[]> {
    return (await db.find(UserActiveDay, { where: { userId }, order: { day: 'ASC' } })).map((row) => row.day);
  }

  /** The user's first active day, their retention cohort. */
  async cohort(db: Db, userId: string): Promise<string | null> {
    return (await db.findOneBy(UserCohort, { userId }))?.firstDay ?? null;
  }

  async erase(tx: Tx, userId: string, pseudonym: string): Promise<{ activities: number; sessions: number }> {
    const activities = (await tx.delete(UserActivity, { userId })).affected ?? 0;
    const sessions = (await tx.delete(UserSession, { userId })).affected ?? 0;
    await tx.delete(UserAnalytics, { userId });
    await tx.delete(UserActivityCounter, { userId });
    await tx.delete(Identity, { userId });
    await tx.update(UserActiveDay, { userId }, { userId: pseudonym });
    await tx.update(UserCohort, { userId }, { userId: pseudonym });
    return { activities, sessions };
  }

  /** Deletes raw events older than `cutoff`, at most `limit` at a time; aggregates stay. */
  async purgeActivitiesBefore(tx: Tx, cutoff: Date, limit: number): Promise<number> {
    const old = await tx
      .createQueryBuilder(UserActivity, 'a')
      .select('a.id', 'id')
      .where('a.timestamp < :cutoff', { cutoff })
      .limit(limit)
      .getRawMany<{ id: string }>();
    if (old.length === 0) return 0;
    await tx
      .createQueryBuilder()
      .delete()
      .from(UserActivity)
      .whereInIds(old.map((row) => row.id))
      .execute();
    return old.length;
  }
}
