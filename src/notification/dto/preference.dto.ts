import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsString, Length } from 'class-validator';
import { NoControlChars } from '../../common/validation/no-control-chars.decorator';
import { IsChannelName } from '../delivery/channel-name';
import { NOTIFICATION_CHANNELS } from '../entities/notification.entity';
import type { NotificationPreference } from '../entities/notification-preference.entity';

/** `*` in a preference matches every notification type or every channel. */
export const ANY = '*';
export const PREFERENCE_CHANNELS = [...NOTIFICATION_CHANNELS, ANY] as const;

/** POST /api/notifications/preferences: turn one type on one channel on or off. */
export class UpsertPreferenceDto {
  /** @example "user123" */
  @IsString()
  @Length(1, 255)
  @NoControlChars()
  user_id: string;

  /** A notification type, or `*` for every type. @example "marketing" */
  @IsString()
  @Length(1, 100)
  @NoControlChars()
  notification_type: string;

  /** A channel (built in, or registered by the host app), or `*` for every channel. @example "email" */
  @IsChannelName({ any: true })
  @ApiProperty({ enum: PREFERENCE_CHANNELS })
  channel: string;

  /** @example false */
  @IsBoolean()
  enabled: boolean;
}

export class PreferenceUserParamDto {
  /** @example "user123" */
  @IsString()
  @Length(1, 255)
  user_id: string;
}

export class EffectivePreferenceParamDto extends PreferenceUserParamDto {
  /** @example "marketing" */
  @IsString()
  @Length(1, 100)
  notification_type: string;

  /** A channel (built in, or registered by the host app), or `*`. @example "email" */
  @IsChannelName({ any: true })
  @ApiProperty({ enum: PREFERENCE_CHANNELS })
  channel: string;
}

export class PreferenceDto {
  /** @example "user123" */
  user_id: string;
  /** @example "marketing" */
  notification_type: string;
  /** @example "email" */
  channel: string;
  /** @example false */
  enabled: boolean;
  /** @example "2026-11-26T09:00:00.000Z" */
  created_at: string;
  /** @example "2026-11-26T09:00:00.000Z" */
  updated_at: string;
}

export class PreferenceResponseDto {
  /** @example true */
  success: boolean;
  preference: PreferenceDto;
}

export class PreferenceListResponseDto {
  /** @example true */
  success: boolean;
  preferences: PreferenceDto[];
}

/** The stored rule a preference check matched ("*" for a wildcard). */
export class MatchedPreferenceDto {
  /** @example "marketing" */
  notification_type: string;
  /** @example "*" */
  channel: string;
}

export class EffectivePreferenceDto {
  /** @example "user123" */
  user_id: string;
  /** @example "marketing" */
  notification_type: string;
  /** @example "email" */
  channel: string;
  /** Whether a notification of this type on this channel would be sent. @example true */
  enabled: boolean;
  /**
   * The stored preference that decided, or null when none applies and the default (enabled) holds.
   */
  matched: MatchedPreferenceDto | null;
}

export class EffectivePreferenceResponseDto {
  /** @example true */
  success: boolean;
  preference: EffectivePreferenceDto;
}

export function toPreferenceDto(preference: NotificationPreference): PreferenceDto {
  return {
    user_id: preference.userId,
    notification_type: preference.notificationType,
    channel: preference.channel,
    enabled: preference.enabled,
    created_at: preference.createdAt.toISOString(),
    updated_at: preference.updatedAt.toISOString(),
  };
}
