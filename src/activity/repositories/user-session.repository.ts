import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ACTIVITY_DATA_SOURCE } from '../../database/data-source-names';
import { UserSession } from '../entities/user-session.entity';

@Injectable()
export class UserSessionRepository {
  constructor(@InjectDataSource(ACTIVITY_DATA_SOURCE) private readonly dataSource: DataSource) {}

  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<UserSession | null> {
    return manager.findOneBy(UserSession, { id });
  }

  async insert(session: UserSession, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.insert(UserSession, session);
  }

  async recordActivity(
    session: Pick<UserSession, 'id' | 'activityCount' | 'pagesVisited'>,
    manager: EntityManager,
  ): Promise<void> {
    await manager.update(UserSession, { id: session.id }, { activityCount: session.activityCount, pagesVisited: session.pagesVisited });
  }

  async markEnded(session: Pick<UserSession, 'id' | 'endTime' | 'duration'>, manager: EntityManager): Promise<void> {
    await manager.update(UserSession, { id: session.id }, { endTime: session.endTime, duration: session.duration });
  }
}
