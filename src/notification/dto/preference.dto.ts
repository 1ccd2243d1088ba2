import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, Length, ValidateNested } from 'class-validator';
import { Nullable } from '../../common/validation/nullable.decorator';
import { DIGEST_FREQUENCIES, type DigestFrequency } from '../digest/digest-frequency';
import { DIGEST_SOURCES, type DigestSource } from '../digest/digest-resolution';
import { NoControlChars } from '../../common/validation/no-control-chars.decorator';
import { IsChannelName } from '../delivery/channel-name';
import { NOTIFICATION_CHANNELS } from '../entities/notification.entity';
import type { NotificationPreference } from '../entities/notification-preference.entity';
import { PREFERENCE_SOURCES, type PreferenceSource } from '../preferences/preference-resolution';
import type { PreferenceMatrix } from '../preferences/preference-matrix';

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

export const PREFERENCE_VIEWS = ['list', 'matrix'] as const;

export class PreferenceViewQueryDto {
  /**
   * `list` (the default): the preferences the user has stored. `matrix`: every known type × every
   * channel with its effective value, the level it came from and whether the type is required.
   * @example "matrix"
   */
  @IsOptional()
  @IsIn(PREFERENCE_VIEWS)
  @ApiPropertyOptional({ enum: PREFERENCE_VIEWS })
  view?: (typeof PREFERENCE_VIEWS)[number];
}

/** Most cells one PUT of the matrix takes: a settings screen of 50 types on 10 channels. */
export const MAX_MATRIX_CELLS = 500;

/** One cell of a matrix update: a type (or `*`) on a channel (or `*`), on or off. */
export class PreferenceCellDto {
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

/** One type's digest choice in a matrix update. */
export class DigestChoiceDto {
  /** A notification type, or `*` for every type. @example "marketing" */
  @IsString()
  @Length(1, 100)
  @NoControlChars()
  notification_type: string;

  /**
   * How often it reaches the user by email, SMS, push and Slack: `instant`, or gathered `hourly`,
   * `daily` (09:00 local) or `weekly` (Mondays 09:00); null removes the user's choice (the type's
   * default applies again).
   * @example "daily"
   */
  @Nullable()
  @IsIn([...DIGEST_FREQUENCIES, null])
  @ApiProperty({ enum: DIGEST_FREQUENCIES, nullable: true, type: String })
  digest: DigestFrequency | null;
}

/** PUT /api/notifications/preferences/{user_id}: many cells and digest choices at once, all stored or none. */
export class UpdatePreferenceMatrixDto {
  /** The cells to set, each (type, channel) at most once; cells not listed keep their value. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MATRIX_CELLS)
  @ValidateNested({ each: true })
  @Type(() => PreferenceCellDto)
  // The plugin's shim leaves out a bound given by a constant.
  @ApiPropertyOptional({ maxItems: MAX_MATRIX_CELLS })
  cells?: PreferenceCellDto[];

  /** Digest choices to set, each type at most once; types not listed keep theirs. */
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_MATRIX_CELLS)
  @ValidateNested({ each: true })
  @Type(() => DigestChoiceDto)
  @ApiPropertyOptional({ maxItems: MAX_MATRIX_CELLS })
  digests?: DigestChoiceDto[];
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
   * The level that decided, most specific first: a stored preference of the user's
   * (`user_type_channel`, `user_channel` = type `*`, `user_type` = channel `*`, `user_all` = both
   * `*`), else the type's registry entry (`type_default`; also for a required type), else
   * `default` (enabled).
   */
  @ApiProperty({ enum: PREFERENCE_SOURCES })
  source: PreferenceSource;
  /** The type is required: it is sent whatever the user stored. @example false */
  required: boolean;
  /** The stored preference that decided, or null when the registry or the default did. */
  matched: MatchedPreferenceDto | null;
}

export class EffectivePreferenceResponseDto {
  /** @example true */
  success: boolean;
  preference: EffectivePreferenceDto;
}

/** One type on one channel in the matrix: its effective value and where it came from. */
export class PreferenceMatrixCellDto {
  /** @example "email" */
  channel: string;
  /** @example false */
  enabled: boolean;
  /** The level that decided (see the effective-preference endpoint). @example "user_channel" */
  @ApiProperty({ enum: PREFERENCE_SOURCES })
  source: PreferenceSource;
  /** The type is required: the cell is on and a settings screen shows it locked. @example false */
  required: boolean;
}

/** One known type of the matrix: a registered one, or one the user has stored preferences for. */
export class PreferenceMatrixTypeDto {
  /** @example "marketing" */
  notification_type: string;
  /** From the type registry; null when it is not registered or has none. @example "Product news" */
  label: string | null;
  /** @example "Announcements and offers." */
  description: string | null;
  /** @example "promotions" */
  category: string | null;
  /** @example false */
  required: boolean;
  /** Whether the type is in the registry (else it is known from the user's own preferences). @example true */
  registered: boolean;
  /** One per channel, in the order of `channels`. */
  cells: PreferenceMatrixCellDto[];
  /** How often it reaches the user off the in-app channel (always `instant` for a required type). @example "instant" */
  @ApiProperty({ enum: DIGEST_FREQUENCIES })
  digest: DigestFrequency;
  /** Which level chose it: the user's choice for the type, for every type, the registry, or the default. @example "default" */
  @ApiProperty({ enum: DIGEST_SOURCES })
  digest_source: DigestSource;
}

/** GET …/preferences/{user_id}?view=matrix and PUT …/preferences/{user_id}: what a settings screen renders. */
export class PreferenceMatrixResponseDto {
  /** @example true */
  success: boolean;
  /** @example "user123" */
  user_id: string;
  /** Every channel this service knows, in_app first. @example ["in_app", "email", "sms", "push", "slack", "webhook"] */
  channels: string[];
  /** The user's digest choice for every type (`*`), or null when they have none. @example null */
  @ApiProperty({ enum: DIGEST_FREQUENCIES, nullable: true, type: String })
  digest_all: DigestFrequency | null;
  /** Every known type, in type order. */
  types: PreferenceMatrixTypeDto[];
}

export function toPreferenceMatrixDto(matrix: PreferenceMatrix): PreferenceMatrixResponseDto {
  return {
    success: true,
    user_id: matrix.userId,
    channels: matrix.channels,
    digest_all: matrix.digestAll,
    types: matrix.rows.map((row) => ({
      notification_type: row.notificationType,
      label: row.entry?.label ?? null,
      description: row.entry?.description ?? null,
      category: row.entry?.category ?? null,
      required: row.entry?.required ?? false,
      registered: row.entry !== null,
      cells: row.cells.map(({ channel, resolved }) => ({
        channel,
        enabled: resolved.enabled,
        source: resolved.source,
        required: resolved.required,
      })),
      digest: row.digest.frequency,
      digest_source: row.digest.source,
    })),
  };
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
