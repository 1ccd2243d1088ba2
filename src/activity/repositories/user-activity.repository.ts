import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ACTIVITY_DATA_SOURCE } from '../../database/data-source-names';
import { EntityTable } from '../../database/engine/entity-table';
import { sql } from '../../database/engine/sql';
import { UserActivity } from '../entities/user-activity.entity';
import type { Db, Tx } from '../../database/engine/tx';

@Injectable()
export class UserActivityRepository {
  private readonly table: EntityTable<UserActivity>;

  constructor(@InjectDataSource(ACTIVITY_DATA_SOURCE) private readonly dataSource: DataSource) {
    this.table = new EntityTable(dataSource, UserActivity);
  }

  async insert(tx: Tx, activity: UserActivity): Promise<void> {
    await this.table.insert(tx, activity);
  }

  /** The id and session of the activity a client already sent with this event id, through uq_user_activities_event. */
  findByEventId(db: Db, userId: string, eventId: string): Promise<{ id: string; sessionId: string | null } | null> {
    return sql.one(db, 'SELECT id, session_id AS "sessionId" FROM user_activities WHERE user_id = ? AND event_id = ?', [userId, eventId]);
  }
}
