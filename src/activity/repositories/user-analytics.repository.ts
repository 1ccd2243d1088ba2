import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ACTIVITY_DATA_SOURCE } from '../../database/data-source-names';
import { CounterKind, UserActivityCounter } from '../entities/user-activity-counter.entity';
import { UserAnalytics } from '../entities/user-analytics.entity';

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
}
