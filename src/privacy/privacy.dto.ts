import { ApiProperty } from '@nestjs/swagger';
export class ExportResponseDto {
  /** @example true */
  success: boolean;
  /** @example "user123" */
  user_id: string;
  /** Every activity, as stored. */
  activities: Record<string, unknown>[];
  sessions: Record<string, unknown>[];
  analytics: Record<string, unknown> | null;
  /** Anonymous ids identified as this user. */
  identities: Record<string, unknown>[];
  /** What identify calls said of the user, merged: `{traits, updated_at}`. */
  traits: Record<string, unknown> | null;
  /** Group memberships (`group_id`, `joined_at`) with each group's traits. */
  groups: Record<string, unknown>[];
  /** The counts behind the top-5 lists (`kind`: page, feature, referrer, device). */
  counters: Record<string, unknown>[];
  /** UTC days with activity. @example ["2026-11-26"] */
  active_days: string[];
  /** First active day, the retention cohort. @example "2026-11-26" */
  cohort: string | null;
  /** Every notification, with its delivery attempts. */
  notifications: Record<string, unknown>[];
  preferences: Record<string, unknown>[];
  devices: Record<string, unknown>[];
  contact: Record<string, unknown> | null;
  /** The topics the user is subscribed to. @example ["project:42"] */
  topics: string[];
  /** Quiet hours and pause, as stored. */
  schedule: Record<string, unknown> | null;
  /** How often the user chose to get each type (`notification_type`, `frequency`). */
  digest_preferences: Record<string, unknown>[];
  /** Their digests: open ones gathering notifications, and the ones sent (`notification_id`). */
  digests: Record<string, unknown>[];
}

export class ErasedCountsDto {
  @ApiProperty({ type: 'integer' })
  activities: number;
  @ApiProperty({ type: 'integer' })
  sessions: number;
  @ApiProperty({ type: 'integer' })
  notifications: number;
  @ApiProperty({ type: 'integer' })
  preferences: number;
  @ApiProperty({ type: 'integer' })
  devices: number;
}

export class EraseResponseDto {
  /** @example true */
  success: boolean;
  /** @example "user123" */
  user_id: string;
  deleted: ErasedCountsDto;
}
