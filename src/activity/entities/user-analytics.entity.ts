import { Column, Entity, PrimaryColumn } from 'typeorm';

export interface RankedCount {
  key: string;
  count: number;
}

/**
 * Per-user aggregates, maintained in the same transaction as every activity and session
 * change so that reading them is one primary-key lookup however many events a user has.
 */
@Entity('user_analytics')
export class UserAnalytics {
  @PrimaryColumn({ name: 'user_id', type: 'varchar', length: 255 })
  userId: string;

  @Column({ name: 'total_sessions', type: 'integer', default: 0 })
  totalSessions: number;

  @Column({ name: 'total_activities', type: 'integer', default: 0 })
  totalActivities: number;

  @Column({ name: 'first_activity', type: Date, nullable: true })
  firstActivity: Date | null;

  @Column({ name: 'last_activity', type: Date, nullable: true })
  lastActivity: Date | null;

  /** Sessions that have ended; the denominator of avg_session_duration. */
  @Column({ name: 'ended_sessions', type: 'integer', default: 0 })
  endedSessions: number;

  /** Sum of the durations (seconds) of ended sessions; the numerator of avg_session_duration. */
  @Column({ name: 'total_session_duration', type: 'double precision', default: 0 })
  totalSessionDuration: number;

  @Column({ name: 'avg_session_duration', type: 'double precision', default: 0 })
  avgSessionDuration: number;

  /** Top page_url values of page_view events, highest count first. */
  @Column({ name: 'most_visited_pages', type: 'json' })
  mostVisitedPages: RankedCount[];

  /** Top non-page_view activity types, highest count first. */
  @Column({ name: 'favorite_features', type: 'json' })
  favoriteFeatures: RankedCount[];

  @Column({ name: 'engagement_score', type: 'double precision', default: 0 })
  engagementScore: number;

  /** When Engage first received anything from the user (server time). */
  @Column({ name: 'first_seen', type: Date, nullable: true })
  firstSeen: Date | null;

  /** Distinct UTC days with at least one activity. */
  @Column({ name: 'active_days', type: 'integer', default: 0 })
  activeDays: number;

  /** Top referrer hosts, highest count first (null until the first referrer). */
  @Column({ name: 'top_referrers', type: 'json', nullable: true })
  topReferrers: RankedCount[] | null;

  /** Top device types (desktop, mobile, tablet…), highest count first. */
  @Column({ type: 'json', nullable: true })
  devices: RankedCount[] | null;
}
