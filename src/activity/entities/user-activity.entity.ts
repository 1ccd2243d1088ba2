import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JsonColumn } from '../../common/json';

/** One thing a user did: a page view, a click, a feature used. */
@Entity('user_activities')
@Index('idx_user_activities_user_time', ['userId', 'timestamp'])
@Index('idx_user_activities_session', ['sessionId'])
export class UserActivity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ name: 'activity_type', type: 'varchar', length: 100 })
  activityType: string;

  @Column({ type: Date })
  timestamp: Date;

  @Column({ name: 'session_id', type: 'varchar', length: 36, nullable: true })
  sessionId: string | null;

  @Column({ type: 'json', nullable: true })
  metadata: JsonColumn | null;

  @Column({ name: 'ip_address', type: 'varchar', length: 45, nullable: true })
  ipAddress: string | null;

  @Column({ name: 'user_agent', type: 'varchar', length: 1024, nullable: true })
  userAgent: string | null;

  @Column({ type: 'varchar', length: 2048, nullable: true })
  referrer: string | null;

  @Column({ name: 'page_url', type: 'varchar', length: 2048, nullable: true })
  pageUrl: string | null;
}
