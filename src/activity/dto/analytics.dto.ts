import { ApiProperty } from '@nestjs/swagger';
import type { UserAnalytics } from '../entities/user-analytics.entity';

export class RankedCountDto {
  /** @example "/dashboard" */
  key: string;

  /** @example 42 */
  @ApiProperty({ type: 'integer' })
  count: number;
}

export class UserAnalyticsDto {
  /** @example "user123" */
  user_id: string;

  /** Sessions started. @example 7 */
  @ApiProperty({ type: 'integer' })
  total_sessions: number;

  /** Activities tracked. @example 120 */
  @ApiProperty({ type: 'integer' })
  total_activities: number;

  /** Time of the earliest activity, ISO 8601. @example "2026-11-01T08:00:00.000Z" */
  first_activity: string | null;

  /** Time of the latest activity, ISO 8601. @example "2026-11-26T09:12:00.000Z" */
  last_activity: string | null;

  /** Mean duration in seconds of the user's ended sessions. @example 312.5 */
  avg_session_duration: number;

  /** Top 5 page_url of page_view activities, by count. */
  most_visited_pages: RankedCountDto[];

  /** Top 5 activity types other than page_view, by count. */
  favorite_features: RankedCountDto[];

  /** 0–100; see the README for the formula. @example 64.2 */
  engagement_score: number;

  /** When Engage first received anything from the user (server time, ISO 8601). */
  first_seen: string | null;

  /** Distinct UTC days with at least one activity. @example 9 */
  @ApiProperty({ type: 'integer' })
  active_days: number;

  /** Top 5 referrer hosts, by count. */
  top_referrers: RankedCountDto[];

  /** Top 5 device types (desktop, mobile, tablet…), by count. */
  devices: RankedCountDto[];
}

export class UserAnalyticsResponseDto {
  /** @example true */
  success: boolean;

  analytics: UserAnalyticsDto;
}

export function toUserAnalyticsDto(analytics: UserAnalytics): UserAnalyticsDto {
  return {
    user_id: analytics.userId,
    total_sessions: analytics.totalSessions,
    total_activities: analytics.totalActivities,
    first_activity: analytics.firstActivity ? analytics.firstActivity.toISOString() : null,
    last_activity: analytics.lastActivity ? analytics.lastActivity.toISOString() : null,
    avg_session_duration: analytics.avgSessionDuration,
    most_visited_pages: analytics.mostVisitedPages,
    favorite_features: analytics.favoriteFeatures,
    engagement_score: analytics.engagementScore,
    first_seen: analytics.firstSeen ? analytics.firstSeen.toISOString() : null,
    active_days: analytics.activeDays,
    top_referrers: analytics.topReferrers ?? [],
    devices: analytics.devices ?? [],
  };
}
