import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { ACTIVITY_DATA_SOURCE } from '../../database/data-source-names';
import { UserActivity } from '../entities/user-activity.entity';

@Injectable()
export class UserActivityRepository {
  constructor(@InjectDataSource(ACTIVITY_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async insert(activity: UserActivity, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.insert(UserActivity, activity);
  }

  /** The activity a client already sent with this event id, through uq_user_activities_event. */
  findByEventId(userId: string, eventId: string, manager: EntityManager): Promise<UserActivity | null> {
    return manager.findOneBy(UserActivity, { userId, eventId });
  }
}
