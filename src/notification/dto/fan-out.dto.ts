import { ApiProperty, ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { SendNotificationDto } from './notification.dto';
import { IsUserIdList, TOPIC_KEY_PATTERN } from './topic.dto';

/**
 * POST /api/notifications/fan-out: one notification (literal or by template, as in a send) to up
 * to 1,000 users, or to every subscriber of a topic; exactly one of `user_ids` and `topic`.
 */
export class FanOutDto extends OmitType(SendNotificationDto, ['user_id'] as const) {
  /** Up to 1,000 user ids, each once. @example ["user123", "user456"] */
  @IsOptional()
  @IsUserIdList()
  user_ids?: string[];

  /** A topic: every user subscribed to it (PUT /api/topics/{key}/subscribers). @example "project:42" */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(TOPIC_KEY_PATTERN, { message: 'topic must contain only letters, digits, "_", ".", ":" and "-"' })
  @ApiPropertyOptional({ pattern: TOPIC_KEY_PATTERN.source })
  topic?: string;
}

export class FanOutResultDto {
  /** @example "user123" */
  user_id: string;
  /** sent, queued or scheduled when stored; suppressed (the user's preferences) or undeliverable (no address on the channel). @example "sent" */
  status: string;
  notification_id: string | null;
  /** Why nothing was stored for this user. */
  reason?: string;
}

export class FanOutResponseDto {
  /** @example true */
  success: boolean;
  /** @example 2 */
  @ApiProperty({ type: 'integer' })
  recipients: number;
  /** Notifications stored (now or by an earlier attempt under the same Idempotency-Key). @example 1 */
  @ApiProperty({ type: 'integer' })
  stored: number;
  /** @example 1 */
  @ApiProperty({ type: 'integer' })
  suppressed: number;
  /** @example 0 */
  @ApiProperty({ type: 'integer' })
  undeliverable: number;
  /** One per user, in the order given: only for `user_ids` (a topic may be large: count its results above). */
  results?: FanOutResultDto[];
}
