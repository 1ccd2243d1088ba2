import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ACTIVITY_DATA_SOURCE } from '../../database/data-source-names';
import { toStoredRow } from '../../database/stored-row';
import { Identity } from '../entities/identity.entity';
import { UserActiveDay } from '../entities/user-active-day.entity';
import { UserActivityCounter } from '../entities/user-activity-counter.entity';
import { UserActivity } from '../entities/user-activity.entity';
import { UserAnalytics } from '../entities/user-analytics.entity';
import { UserCohort } from '../entities/user-cohort.entity';
import { UserSession } from '../entities/user-session.entity';

/** Reads and erases everything the activity database holds about one user. */
@Injectable()
export class UserDataRepository {
  constructor(@InjectDataSource(ACTIVITY_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async activities(userId: string): Promise<Record<string, unknown>[]> {
    const rows = await this.dataSource.manager.find(UserActivity, { where: { userId }, order: { timestamp: 'ASC' } });
    return rows.map((row) => toStoredRow(this.dataSource, UserActivity, row));
  }

  async sessions(userId: string): Promise<Record<string, unknown>[]> {
    const rows = await this.dataSource.manager.find(UserSession, { where: { userId }, order: { startTime: 'ASC' } });
    return rows.map((row) => toStoredRow(this.dataSource, UserSession, row));
  }

  async analytics(userId: string): Promise<Record<string, unknown> | null> {
    const row = await this.dataSource.manager.findOneBy(UserAnalytics, { userId });
    return row ? toStoredRow(this.dataSource, UserAnalytics, row) : null;
  }

  async identities(userId: string): Promise<Record<string, unknown>[]> {
    const rows = await this.dataSource.manager.findBy(Identity, { userId });
    return rows.map((row) => toStoredRow(this.dataSource, Identity, row));
  }

  /** The user's page, feature, referrer and device counts behind the top-5 lists. */
  async counters(userId: string): Promise<Record<string, unknown>[]> {
    const rows = await this.dataSource.manager.find(UserActivityCounter, { where: { userId }, order: { kind: 'ASC', key: 'ASC' } });
    return rows.map((row) => toStoredRow(this.dataSource, UserActivityCounter, row));
  }

  /** The UTC days (YYYY-MM-DD) the user was active. */
  async activeDays(userId: string): Promise<string[]> {
    return (await this.dataSource.manager.find(UserActiveDay, { where: { userId }, order: { day: 'ASC' } })).map((row) => row.day);
  }

  /** The user's first active day, their retention cohort. */
  async cohort(userId: string): Promise<string | null> {
    return (await this.dataSource.manager.findOneBy(UserCohort, { userId }))?.firstDay ?? null;
  }

  async erase(userId: string, pseudonym: string, manager: EntityManager): Promise<{ activities: number; sessions: number }> {
    const activities = (await manager.delete(UserActivity, { userId })).affected ?? 0;
    const sessions = (await manager.delete(UserSession, { userId })).affected ?? 0;
    await manager.delete(UserAnalytics, { userId });
    await manager.delete(UserActivityCounter, { userId });
    await manager.delete(Identity, { userId });
    await manager.update(UserActiveDay, { userId }, { userId: pseudonym });
    await manager.update(UserCohort, { userId }, { userId: pseudonym });
    return { activities, sessions };
  }

  /** Deletes raw events older than `cutoff`, at most `limit` at a time; aggregates stay. */
  async purgeActivitiesBefore(cutoff: Date, limit: number, manager: EntityManager): Promise<number> {
    const old = await manager
      .createQueryBuilder(UserActivity, 'a')
      .select('a.id', 'id')
      .where('a.timestamp < :cutoff', { cutoff })
      .limit(limit)
      .getRawMany<{ id: string }>();
    if (old.length === 0) return 0;
    await manager
      .createQueryBuilder()
      .delete()
      .from(UserActivity)
      .whereInIds(old.map((row) => row.id))
      .execute();
    return old.length;
  }
}
