import { IsOptional, IsString, Length, MaxLength } from 'class-validator';
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
  @IsString()
  @Length(1, 255)
  @NoControlChars()
  user_id: string;

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

  /** @example "5d0c7f0e-3c1b-4a5e-8d0a-1c6a3e2b9f11" */
  activity_id: string;
}
