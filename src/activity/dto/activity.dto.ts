import { ApiProperty } from '@nestjs/swagger';
import { IsWithinYears } from '../../common/validation/within-years.decorator';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsISO8601, IsOptional, IsString, Length, MaxLength, ValidateIf } from 'class-validator';
import { ErrorDetailDto } from '../../common/http/error-response.dto';
import type { JsonObject } from '../../common/json';
import { IsPlainObject } from '../../common/validation/is-plain-object.decorator';
import { MaxJsonSize } from '../../common/validation/max-json-size.decorator';
import { NoControlChars } from '../../common/validation/no-control-chars.decorator';

export const MAX_METADATA_BYTES = 16 * 1024;

/** POST /api/activity/track: one thing a user did. */
export class TrackActivityDto {
  /**
   * Your application's id for the user.
   * @example "user123"
   */
  @ValidateIf((event: TrackActivityDto) => event.anonymous_id === undefined || event.user_id !== undefined)
  @IsString()
  @Length(1, 255)
  @NoControlChars()
  user_id?: string;

  /**
   * A device or browser id for a visitor not yet known by user id; required without user_id.
   * `POST /api/activity/identify` later gives its events to a user.
   * @example "anon-7f3c2a"
   */
  @IsOptional()
  @IsString()
  @Length(1, 255)
  @NoControlChars()
  anonymous_id?: string;

  /**
   * The client's id of this event (its message id): the same id for the same user is stored once.
   * @example "0f8fad5b-d9cb-469f-a165-70867728950e"
   */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @NoControlChars()
  event_id?: string;

  /**
   * When it happened, by the client's clock (ISO 8601); corrected with the batch's sent_at.
   * @example "2026-11-26T09:00:00.000Z"
   */
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsWithinYears()
  timestamp?: string;

  /**
   * library, locale, timezone, screen, campaign (utm_*): up to 8 KiB as JSON.
   * @example {"library": {"name": "engage-js", "version": "1.0.0"}, "locale": "en-GB", "campaign": {"source": "newsletter"}}
   */
  @IsOptional()
  @IsPlainObject()
  @MaxJsonSize(8 * 1024)
  context?: JsonObject;

  /**
   * What happened; `page_view` events with a page_url count towards most_visited_pages,
   * every other type towards favorite_features.
   * @example "page_view"
   */
  @IsString()
  @Length(1, 100)
  @NoControlChars()
  activity_type: string;

  /**
   * A session started with POST /api/session/start; it must belong to the same user.
   * @example "0b6e2f8c-7c4e-4e8f-9a43-2f1f4f1c9d10"
   */
  @IsOptional()
  @IsString()
  @Length(1, 36)
  session_id?: string;

  /** @example "/dashboard" */
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  page_url?: string;

  /** @example "https://google.com" */
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  referrer?: string;

  /**
   * Free-form details, up to 16 KiB as JSON.
   * @example {"utm_source": "search"}
   */
  @IsOptional()
  @IsPlainObject()
  @MaxJsonSize(MAX_METADATA_BYTES)
  metadata?: JsonObject;
}

export class TrackActivityResponseDto {
  /** @example true */
  success: boolean;

  /** The stored activity (the first one, for a duplicate). @example "5d0c7f0e-3c1b-4a5e-8d0a-1c6a3e2b9f11" */
  activity_id: string;

  /** The session the activity was counted in (null for bots). */
  session_id: string | null;

  /** True when this event_id was already stored for this user: nothing was stored again. */
  duplicate?: boolean;
}

export const MAX_BATCH_EVENTS = 500;
export const MAX_EVENT_BYTES = 32 * 1024;

/** POST /api/activity/batch: up to 500 events (512 kB); each is judged on its own. */
export class TrackBatchDto {
  /** The events: each has the fields of POST /api/activity/track. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_EVENTS)
  batch: unknown[];

  /** When the client sent the batch, by its clock: corrects each event's timestamp for clock skew. */
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsWithinYears()
  sent_at?: string;
}

export class BatchEventResultDto {
  /** Position of the event in the batch. @example 0 */
  @ApiProperty({ type: 'integer' })
  index: number;
  /** accepted | duplicate | rejected. @example "accepted" */
  status: string;
  activity_id?: string;
  session_id?: string | null;
  /** Why a rejected event was refused, field by field. */
  errors?: ErrorDetailDto[];
}

export class TrackBatchResponseDto {
  /** @example true */
  success: boolean;
  /** @example 498 */
  @ApiProperty({ type: 'integer' })
  accepted: number;
  /** @example 1 */
  @ApiProperty({ type: 'integer' })
  duplicates: number;
  /** @example 1 */
  @ApiProperty({ type: 'integer' })
  rejected: number;
  results: BatchEventResultDto[];
}
