import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsWithinYears } from '../../common/validation/within-years.decorator';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsISO8601, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import type { JsonObject } from '../../common/json';
import { IsPlainObject } from '../../common/validation/is-plain-object.decorator';
import { MaxJsonSize } from '../../common/validation/max-json-size.decorator';
import { NoControlChars } from '../../common/validation/no-control-chars.decorator';

/**
 * The fields every message of Segment's HTTP Tracking API carries (camelCase, as the protocol
 * has them). As Segment's, the bound is on the whole message (32 KB as JSON, checked by the
 * service), not on each of its objects. Fields the protocol defines and Engage has no use for (`integrations`,
 * `_metadata`, `channel`…) are accepted and ignored, as Segment's own API does.
 */
/**
 * Documents an optional field as nullable: Segment's libraries send `"anonymousId": null` and the
 * like, and Engage, as Segment's API, takes a null as the field's absence.
 */
const NullMeansAbsent = (): PropertyDecorator => ApiPropertyOptional({ nullable: true });

export class SegmentMessageDto {
  /**
   * Your id for the user; required unless anonymousId is given. A number is taken as its text.
   * @example "user123"
   */
  @IsOptional()
  @IsString()
  @Length(1, 255)
  @NoControlChars()
  @NullMeansAbsent()
  userId?: string;

  /** A device or browser id for a visitor not yet known by userId. @example "anon-7f3c2a" */
  @IsOptional()
  @IsString()
  @Length(1, 255)
  @NoControlChars()
  @NullMeansAbsent()
  anonymousId?: string;

  /** The client's id of the message: the same id for the same user is stored once. @example "ajs-next-1764662400000-9f0c" */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @NoControlChars()
  @NullMeansAbsent()
  messageId?: string;

  /** When it happened, by the client's clock; corrected with sentAt. @example "2026-11-26T09:00:00.000Z" */
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsWithinYears()
  @NullMeansAbsent()
  timestamp?: string;

  /** Used when timestamp is absent (Segment's mobile libraries send it). */
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsWithinYears()
  @NullMeansAbsent()
  originalTimestamp?: string;

  /** When the client sent the message, by its clock: corrects timestamp for clock skew. */
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsWithinYears()
  @NullMeansAbsent()
  sentAt?: string;

  /**
   * Library, page, campaign, locale… and the end user's `userAgent` and `ip`, within the message's 32 KB.
   * @example {"ip": "203.0.113.7", "userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15"}
   */
  @IsOptional()
  @IsPlainObject()
  @NullMeansAbsent()
  context?: JsonObject;

  /** Which destinations should receive the message: accepted and ignored. */
  @IsOptional()
  @IsPlainObject()
  @NullMeansAbsent()
  integrations?: JsonObject;

  /** The write key, when it is not sent as HTTP Basic credentials. */
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  @NullMeansAbsent()
  writeKey?: string;
}

/** POST /v1/track: something the user did. */
export class SegmentTrackDto extends SegmentMessageDto {
  /** The event's name; stored as the activity_type. @example "Order Completed" */
  @IsString()
  @Length(1, 100)
  @NoControlChars()
  event: string;

  /** Stored as the activity's metadata, within the message's 32 KB. @example {"revenue": 42.5} */
  @IsOptional()
  @IsPlainObject()
  @NullMeansAbsent()
  properties?: JsonObject;
}

/** POST /v1/page: a page view (a page_view activity). */
export class SegmentPageDto extends SegmentMessageDto {
  /** @example "Pricing" */
  @IsOptional()
  @IsString()
  @Length(1, 255)
  @NullMeansAbsent()
  name?: string;

  /** @example "Docs" */
  @IsOptional()
  @IsString()
  @Length(1, 255)
  @NullMeansAbsent()
  category?: string;

  /** url, path, referrer, title…; within the message's 32 KB. @example {"url": "https://example.com/pricing", "path": "/pricing"} */
  @IsOptional()
  @IsPlainObject()
  @NullMeansAbsent()
  properties?: JsonObject;
}

/** POST /v1/screen: a mobile screen view (a screen_view activity). */
export class SegmentScreenDto extends SegmentMessageDto {
  /** @example "Home" */
  @IsOptional()
  @IsString()
  @Length(1, 255)
  @NullMeansAbsent()
  name?: string;

  @IsOptional()
  @IsPlainObject()
  @NullMeansAbsent()
  properties?: JsonObject;
}

/** POST /v1/identify: who the user is, and what is known of them. */
export class SegmentIdentifyDto extends SegmentMessageDto {
  /** Merged into the user's stored traits, within the message's 32 KB. @example {"email": "ada@example.com", "plan": "pro"} */
  @IsOptional()
  @IsPlainObject()
  @NullMeansAbsent()
  traits?: JsonObject;
}

/** POST /v1/alias: previousId is now userId; its history becomes the user's. */
export class SegmentAliasDto extends SegmentMessageDto {
  /** The id used so far (an anonymous id or an older user id). @example "anon-7f3c2a" */
  @IsString()
  @Length(1, 255)
  @NoControlChars()
  previousId: string;
}

/** POST /v1/group: the user belongs to a group (company, team, account). */
export class SegmentGroupDto extends SegmentMessageDto {
  /** @example "acme" */
  @IsString()
  @Length(1, 255)
  @NoControlChars()
  groupId: string;

  /** Merged into the group's stored traits, within the message's 32 KB. @example {"name": "Acme", "plan": "enterprise"} */
  @IsOptional()
  @IsPlainObject()
  @NullMeansAbsent()
  traits?: JsonObject;
}

export const MAX_SEGMENT_BATCH = 500;

/** POST /v1/batch (and /v1/import): up to 500 messages of any type, 500 KB in all, 32 KB each. */
export class SegmentBatchDto {
  /** Messages, each with its `type` (track, page, screen, identify, alias, group). */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_SEGMENT_BATCH)
  batch: unknown[];

  /** When the client sent the batch: corrects each message's timestamp for clock skew. */
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsWithinYears()
  @NullMeansAbsent()
  sentAt?: string;

  /** Context every message inherits (a message's own keys win), up to 8 KiB as JSON. */
  @IsOptional()
  @IsPlainObject()
  @MaxJsonSize(8 * 1024)
  @NullMeansAbsent()
  context?: JsonObject;

  @IsOptional()
  @IsPlainObject()
  @NullMeansAbsent()
  integrations?: JsonObject;

  /** The write key, when it is not sent as HTTP Basic credentials. */
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  @NullMeansAbsent()
  writeKey?: string;
}

/** Segment's answer to an accepted call. */
export class SegmentResponseDto {
  /** @example true */
  success: boolean;
}
