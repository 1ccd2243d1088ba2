import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JsonColumn } from '../../common/json';

/** A visit: from start to end, with the pages seen and the number of activities in it. */
@Entity('user_sessions')
@Index('idx_user_sessions_user_start', ['userId', 'startTime'])
// Open sessions by start, for the reaper; untouched while a session runs (see its migration).
@Index('idx_user_sessions_open', ['startTime'], { where: '"end_time" IS NULL' })
export class UserSession {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ name: 'start_time', type: Date })
  startTime: Date;

  @Column({ name: 'end_time', type: Date, nullable: true })
  endTime: Date | null;

  /** Seconds between start and end; null while the session is open. */
  @Column({ type: 'double precision', nullable: true })
  duration: number | null;

  /** Distinct page URLs in the order they were first seen. */
  @Column({ name: 'pages_visited', type: 'json' })
  pagesVisited: string[];

  @Column({ name: 'activity_count', type: 'integer', default: 0 })
  activityCount: number;

  @Column({ name: 'device_info', type: 'json', nullable: true })
  deviceInfo: JsonColumn | null;

  @Column({ name: 'ip_address', type: 'varchar', length: 45, nullable: true })
  ipAddress: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 1024, nullable: true })
  userAgent: string | null;

  /** Time of the session's latest activity; an automatic session ends 30 min after it. */
  @Column({ name: 'last_activity_at', type: Date, nullable: true })
  lastActivityAt: Date | null;

  @Column({ name: 'entry_page', type: 'varchar', length: 2048, nullable: true })
  entryPage: string | null;

  @Column({ name: 'exit_page', type: 'varchar', length: 2048, nullable: true })
  exitPage: string | null;

  /** Started by a bot (POST /api/session/start with a bot's User-Agent): counted in no figure. */
  @Column({ name: 'is_bot', type: 'boolean', default: false })
  isBot: boolean;
}
