import { ApiProperty } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsWithinYears } from '../../common/validation/within-years.decorator';
import type { InboxCounts } from '../inbox/inbox-counts';
import { ACTION_ID_PATTERN, NotificationDto, NotificationIdParamDto } from './notification.dto';

/** A user's inbox counts: what is in the inbox (come in, not archived), and of it what is unread and unseen. */
export class InboxCountsDto {
  /** @example 12 */
  @ApiProperty({ type: 'integer' })
  total: number;
  /** @example 3 */
  @ApiProperty({ type: 'integer' })
  unread: number;
  /** @example 1 */
  @ApiProperty({ type: 'integer' })
  unseen: number;
}

export class InboxCountsResponseDto {
  /** @example true */
  success: boolean;
  counts: InboxCountsDto;
}

/** A notification after an action on it, and its user's counts after the action. */
export class InboxActionResponseDto {
  /** @example true */
  success: boolean;
  notification: NotificationDto;
  counts: InboxCountsDto;
}

export class InboxBulkResponseDto {
  /** @example true */
  success: boolean;
  /** How many notifications changed. @example 7 */
  @ApiProperty({ type: 'integer' })
  updated: number;
  counts: InboxCountsDto;
}

export class InboxDeleteResponseDto {
  /** @example true */
  success: boolean;
  counts: InboxCountsDto;
}

/** POST /api/notifications/snooze/{notification_id}. */
export class SnoozeDto {
  /** Until when (ISO 8601, in the future); the notification then comes back unread. @example "2026-12-03T09:00:00Z" */
  @IsISO8601({ strict: true })
  @IsWithinYears()
  until: string;
}

/** POST /api/notifications/user/{user_id}/read-all. */
export class ReadAllDto {
  /** Only notifications of this type. @example "comment" */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  notification_type?: string;
}

export class ActionParamDto extends NotificationIdParamDto {
  /** @example "accept" */
  @IsString()
  @Length(1, 50)
  @Matches(ACTION_ID_PATTERN, { message: 'action_id must contain only letters, digits, "_", "." and "-"' })
  action_id: string;
}

export function toCountsDto(counts: InboxCounts): InboxCountsDto {
  return { total: counts.total, unread: counts.unread, unseen: counts.unseen };
}
