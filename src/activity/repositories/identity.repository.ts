import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ACTIVITY_DATA_SOURCE } from '../../database/data-source-names';
import { EntityTable } from '../../database/engine/entity-table';
import { Identity } from '../entities/identity.entity';
import { UserActiveDay } from '../entities/user-active-day.entity';
import { UserCohort } from '../entities/user-cohort.entity';
import { UserActivityCounter } from '../entities/user-activity-counter.entity';
import { UserActivity } from '../entities/user-activity.entity';
import { UserAnalytics } from '../entities/user-analytics.entity';
import { UserSession } from '../entities/user-session.entity';

/** Identities, and the moves that hand an anonymous visitor's history to a user. */
@Injectable()
export class IdentityRepository {
  private readonly table: EntityTable<Identity>;

  constructor(@InjectDataSource(ACTIVITY_DATA_SOURCE) private readonly dataSource: DataSource) {
    this.table = new EntityTable(dataSource, Identity);
  }

  find(anonymousId: string, manager: EntityManager = this.dataSource.manager): Promise<Identity | null> {
    return this.table.findOne(manager, 'anonymous_id = ?', [anonymousId]);
  }

  async store(identity: Identity, manager: EntityManager): Promise<void> {
    await manager.upsert(Identity, identity, ['anonymousId']);
  }

  /** Anonymous ids identified as `from` are now identified as `to` (alias). */
  async repoint(from: string, to: string, now: Date, manager: EntityManager): Promise<void> {
    await manager.update(Identity, { userId: from }, { userId: to, updatedAt: now });
  }

  /**
   * Gives `from`'s activities and sessions to `to`. An event id `to` already has is a duplicate
   * of the same event and is dropped instead. Returns how many activities and sessions moved.
   */
  async moveHistory(from: string, to: string, manager: EntityManager): Promise<{ activities: number; sessions: number }> {
    await manager
      .createQueryBuilder()
      .delete()
      .from(UserActivity)
      .where('user_id = :from', { from })
      .andWhere('event_id IS NOT NULL')
      .andWhere('event_id IN (SELECT event_id FROM user_activities WHERE user_id = :to AND event_id IS NOT NULL)', { to })
      .execute();
    const activities = await manager.update(UserActivity, { userId: from }, { userId: to });
    const sessions = await manager.update(UserSession, { userId: from }, { userId: to });
    await manager.delete(UserAnalytics, { userId: from });
    await manager.delete(UserActivityCounter, { userId: from });
    await manager.delete(UserActiveDay, { userId: from });
    await manager.delete(UserCohort, { userId: from });
    return { activities: activities.affected ?? 0, sessions: sessions.affected ?? 0 };
  }
}
