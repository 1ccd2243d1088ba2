import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Max, Min, NotEquals } from 'class-validator';
import { DIGEST_FREQUENCIES, type DigestFrequency, THROTTLE_EXCESS, type ThrottleExcess } from '../digest/digest-frequency';
import { NoControlChars } from '../../common/validation/no-control-chars.decorator';
import type { NotificationType } from '../entities/notification-type.entity';

/** A `{type}` path parameter: the notification_type a send names. `*` is the preferences' wildcard, never a type. */
export class NotificationTypeParamDto {
  /** @example "security_alert" */
  @IsString()
  @Length(1, 100)
  @NoControlChars()
  @NotEquals('*', { message: 'type must not be * (the wildcard of preferences)' })
  type: string;
}

/** PUT /api/notifications/types/{type}: the whole entry; a field left out takes its default. */
export class PutNotificationTypeDto {
  /** Whether users get this type where they have stored nothing about it (default true). @example true */
  @IsOptional()
  @IsBoolean()
  default_enabled?: boolean;

  /**
   * Users cannot turn it off: disabling it is a 400 and sends go out past every preference
   * (default false). A required type cannot have default_enabled false.
   * @example true
   */
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  /** Its name in a settings screen. @example "Security alerts" */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @NoControlChars()
  label?: string;

  /** One or two sentences for a settings screen. @example "Sign-ins from new devices and password changes." */
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  @NoControlChars()
  description?: string;

  /** A heading to group types under in a settings screen. @example "account" */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @NoControlChars()
  category?: string;

  /**
   * How often users get it by email, SMS, push and Slack unless they choose otherwise: `instant`
   * (the default), or gathered into one message `hourly`, `daily` (09:00 local) or `weekly`
   * (Mondays 09:00). In-app notifications always land one by one.
   * @example "daily"
   */
  @IsOptional()
  @IsIn(DIGEST_FREQUENCIES)
  @ApiPropertyOptional({ enum: DIGEST_FREQUENCIES })
  digest?: DigestFrequency;

  /** At most this many reach a user per clock hour on each channel (none: no cap). @example 5 */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100000)
  throttle_per_hour?: number;

  /** What becomes of the sends past the cap: `digest` (the default; gathered into the hourly digest, in-app lands silently) or `drop` (recorded as `throttled`). @example "digest" */
  @IsOptional()
  @IsIn(THROTTLE_EXCESS)
  @ApiPropertyOptional({ enum: THROTTLE_EXCESS })
  throttle_excess?: ThrottleExcess;
}

export class NotificationTypeDto {
  /** @example "security_alert" */
  notification_type: string;
  /** @example true */
  default_enabled: boolean;
  /** @example true */
  required: boolean;
  /** @example "Security alerts" */
  label: string | null;
  /** @example "Sign-ins from new devices and password changes." */
  description: string | null;
  /** @example "account" */
  category: string | null;
  /** @example "instant" */
  @ApiProperty({ enum: DIGEST_FREQUENCIES })
  digest: DigestFrequency;
  /** @example null */
  throttle_per_hour: number | null;
  /** @example "digest" */
  @ApiProperty({ enum: THROTTLE_EXCESS })
  throttle_excess: ThrottleExcess;
  /** @example "2026-11-26T09:00:00.000Z" */
  created_at: string;
  /** @example "2026-11-26T09:00:00.000Z" */
  updated_at: string;
}

export class NotificationTypeResponseDto {
  /** @example true */
  success: boolean;
  type: NotificationTypeDto;
}

export class NotificationTypeListResponseDto {
  /** @example true */
  success: boolean;
  types: NotificationTypeDto[];
}

export class DeleteNotificationTypeResponseDto {
  /** @example true */
  success: boolean;
}

export function toNotificationTypeDto(type: NotificationType): NotificationTypeDto {
  return {
    notification_type: type.notificationType,
    default_enabled: type.defaultEnabled,
    required: type.required,
    label: type.label,
    description: type.description,
    category: type.category,
    digest: type.digest,
    throttle_per_hour: type.throttlePerHour,
    throttle_excess: type.throttleExcess,
    created_at: type.createdAt.toISOString(),
    updated_at: type.updatedAt.toISOString(),
  };
}
