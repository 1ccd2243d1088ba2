import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ACTIVITY_DATA_SOURCE } from '../../database/data-source-names';
import { EntityTable } from '../../database/engine/entity-table';
import { Identity } from '../entities/identity.entity';
import { UserActiveDay } from '../entities/user-active-day.entity';
import { UserCohort } from '../entities/user-cohort.entity';
import { UserActivityCounter } from '../entities/user-activity-counter.entity';
import { UserActivity } from '../entities/user-activity.entity';
import { UserAnalytics } from '../entities/user-analytics.entity';
import { UserSession } from '../entities/user-session.entity';
import type { Db, Tx } from '../../database/engine/tx';

/** Identities, and the moves that hand an anonymous visitor's history to a user. */
@Injectable()
export class IdentityRepository {
  private readonly table: EntityTable<Identity>;

  constructor(@InjectDataSource(ACTIVITY_DATA_SOURCE) private readonly dataSource: DataSource) {
    this.table = new EntityTable(dataSource, Identity);
  }

  find(db: Db, anonymousId: string): Promise<Identity | null> {
    return this.table.findOne(db, 'anonymous_id = ?', [anonymousId]);
  }

  async store(tx: Tx, identity: Identity): Promise<void> {
    await tx.upsert(Identity, identity, ['anonymousId']);
  }

  /** Anonymous ids identified as `from` are now identified as `to` (alias). */
  async repoint(tx: Tx, from: string, to: string, now: Date): Promise<void> {
    await tx.update(Identity, { userId: from }, { userId: to, updatedAt: now });
  }

  /**
   * Gives `from`'s activities and sessions to `to`. An event id `to` already has is a duplicate
   * of the same event and is dropped instead. Returns how many activities and sessions moved.
   */
  async moveHistory(tx: Tx, from: string, to: string): Promise<{ activities: number; sessions: number }> {
    await tx
      .createQueryBuilder()
      .delete()
      .from(UserActivity)
      .where('user_id = :from', { from })
      .andWhere('event_id IS NOT NULL')
      .andWhere('event_id IN (SELECT event_id FROM user_activities WHERE user_id = :to AND event_id IS NOT NULL)', { to })
      .execute();
    const activities = await tx.update(UserActivity, { userId: from }, { userId: to });
    const sessions = await tx.update(UserSession, { userId: from }, { userId: to });
    await tx.delete(UserAnalytics, { userId: from });
    await tx.delete(UserActivityCounter, { userId: from });
    await tx.delete(UserActiveDay, { userId: from });
    await tx.delete(UserCohort, { userId: from });
    return { activities: activities.affected ?? 0, sessions: sessions.affected ?? 0 };
  }
}
