import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { ACTIVITY_DATA_SOURCE } from '../../database/data-source-names';
import { EntityTable } from '../../database/engine/entity-table';
import { UserSession } from '../entities/user-session.entity';
import type { Db, Tx } from '../../database/engine/tx';

/** What tracking reads of a running session: not its device, address or user agent. */
export type RunningSession = Pick<
  UserSession,
  | 'id'
  | 'userId'
  | 'startTime'
  | 'endTime'
  | 'duration'
  | 'lastActivityAt'
  | 'activityCount'
  | 'pagesVisited'
  | 'entryPage'
  | 'exitPage'
  | 'isBot'
>;

const RUNNING_SESSION_PROPERTIES: Array<keyof RunningSession> = [
  'id',
  'userId',
  'startTime',
  'endTime',
  'duration',
  'lastActivityAt',
  'activityCount',
  'pagesVisited',
  'entryPage',
  'exitPage',
  'isBot',
];

@Injectable()
export class UserSessionRepository {
  private readonly table: EntityTable<UserSession>;

  constructor(@InjectDataSource(ACTIVITY_DATA_SOURCE) private readonly dataSource: DataSource) {
    this.table = new EntityTable(dataSource, UserSession);
  }

  findById(db: Db, id: string): Promise<UserSession | null> {
    return this.table.findOne(db, 'id = ?', [id]);
  }

  async insert(tx: Tx, session: UserSession): Promise<void> {
    await this.table.insert(tx, session);
  }

  /**
   * The user's latest session that has not ended, through idx_user_sessions_user_start. Read on
   * every tracked event: only the columns tracking uses (device_info alone was a JSON parse).
   * A session a bot started is no place for a person's events.
   */
  findOpenForUser(db: Db, userId: string): Promise<RunningSession | null> {
    return this.table.findOnePick(
      db,
      RUNNING_SESSION_PROPERTIES,
      'user_id = ? AND end_time IS NULL AND NOT is_bot',
      [userId],
      'start_time DESC',
    );
  }

  /** Open sessions quiet since before `cutoff` (by last activity, or start when none), oldest first. */
  findStale(db: Db, cutoff: Date, limit: number): Promise<UserSession[]> {
    return this.staleQuery(db, cutoff, limit).getMany();
  }

  /** The reaper's query, through idx_user_sessions_open (its plan is tested). */
  staleQuery(db: Db, cutoff: Date, limit: number): SelectQueryBuilder<UserSession> {
    return (
      db
        .createQueryBuilder(UserSession, 's')
        .where('s.end_time IS NULL')
        // Quiet means neither its start nor its last activity is after the cutoff (an event with an
        // earlier timestamp can leave last_activity_at before start_time); the start bound also lets
        // idx_user_sessions_open stop at the first session started after the cutoff.
        .andWhere('s.start_time < :cutoff', { cutoff })
        .andWhere('COALESCE(s.last_activity_at, s.start_time) < :cutoff', { cutoff })
        .orderBy('s.start_time', 'ASC')
        .limit(limit)
    );
  }

  async recordActivity(
    tx: Tx,
    session: Pick<UserSession, 'id' | 'activityCount' | 'pagesVisited' | 'lastActivityAt' | 'entryPage' | 'exitPage'>,
  ): Promise<void> {
    await this.table.update(tx, 'id', session, ['activityCount', 'pagesVisited', 'lastActivityAt', 'entryPage', 'exitPage']);
  }

  async markEnded(tx: Tx, session: Pick<UserSession, 'id' | 'endTime' | 'duration'>): Promise<void> {
    await this.table.update(tx, 'id', session, ['endTime', 'duration']);
  }
}
