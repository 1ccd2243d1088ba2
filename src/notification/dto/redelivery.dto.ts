import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional } from 'class-validator';
import { IsWithinYears } from '../../common/validation/within-years.decorator';
import { IN_APP, IsChannelName } from '../delivery/channel-name';
import { NOTIFICATION_CHANNELS } from '../entities/notification.entity';
import type { NotificationChannel } from '../entities/notification.entity';

/** POST /api/notifications/retry: re-drives the failed notifications of a time range. */
export class RetryFailedDto {
  /** Only this channel's (built in, or registered by the host app; never in_app). @example "webhook" */
  @IsOptional()
  @IsChannelName()
  @ApiPropertyOptional({ enum: NOTIFICATION_CHANNELS.filter((channel) => channel !== IN_APP) })
  channel?: NotificationChannel;

  /** Created at or after. @example "2026-11-26T00:00:00Z" */
  @IsISO8601({ strict: true })
  @IsWithinYears()
  from: string;

  /** Created before. @example "2026-11-27T00:00:00Z" */
  @IsISO8601({ strict: true })
  @IsWithinYears()
  to: string;
}

export class RetryResponseDto {
  /** @example true */
  success: boolean;
  /** How many failed notifications were queued again. @example 1 */
  @ApiProperty({ type: 'integer' })
  retried: number;
  /** Their ids (at most 1,000 a call: call again for more). */
  notification_ids: string[];
}
