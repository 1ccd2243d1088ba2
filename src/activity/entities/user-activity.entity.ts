import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { JsonColumn } from '../../common/json';

/**
 * One thing a user did: a page view, a click, a feature used.
 *
 * Every tracked event writes each of these indexes: add one only for a query that reads it.
 * (user_id, timestamp) serves a user's history, export, erasure, identify and the funnel;
 * (timestamp) the retention purge; the partial unique index the event_id check.
 */
@Entity('user_activities')
@Index('idx_user_activities_user_time', ['userId', 'timestamp'])
// Only events with an event_id: the others have nothing to deduplicate.
@Index('uq_user_activities_event', ['userId', 'eventId'], { unique: true, where: '"event_id" IS NOT NULL' })
@Index('idx_user_activities_time', ['timestamp'])
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

  /** The client's message id: the same id for the same user is stored once. */
  @Column({ name: 'event_id', type: 'varchar', length: 100, nullable: true })
  eventId: string | null;

  @Column({ name: 'anonymous_id', type: 'varchar', length: 255, nullable: true })
  anonymousId: string | null;

  /** When Engage received the event; `timestamp` is when it happened (skew-corrected). */
  @Column({ name: 'received_at', type: Date, nullable: true })
  receivedAt: Date | null;

  /** Library, locale, timezone, screen, campaign… as the client sent them. */
  @Column({ type: 'json', nullable: true })
  context: JsonColumn | null;

  @Column({ name: 'is_bot', type: 'boolean', default: false })
  isBot: boolean;

  /** The client's time was more than a day ahead and was replaced by the receive time. */
  @Column({ name: 'timestamp_clamped', type: 'boolean', default: false })
  timestampClamped: boolean;
}
