import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsWithinYears } from '../../common/validation/within-years.decorator';
import { Transform, Type } from 'class-transformer';
import type { JsonObject } from '../../common/json';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsPlainObject } from '../../common/validation/is-plain-object.decorator';
import { MaxJsonSize } from '../../common/validation/max-json-size.decorator';
import { NoControlChars } from '../../common/validation/no-control-chars.decorator';
import { IsChannelName } from '../delivery/channel-name';
import { IsLocaleTag, LOCALE_TAG_PATTERN, MAX_LOCALE_TAG_LENGTH } from '../templates/locale-tag';
import {
  Notification,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_PRIORITIES,
  NOTIFICATION_STATUSES,
  type NotificationChannel,
  type NotificationPriority,
  type NotificationStatus,
} from '../entities/notification.entity';

export const MAX_DATA_BYTES = 32 * 1024;
export const ACTION_ID_PATTERN = /^[A-Za-z0-9_.-]+$/;

/** A button on a notification: a link to open, or an action the app handles by its id (or both). */
export class NotificationActionDto {
  /** Names the action in `POST /api/notifications/actions/{notification_id}/{action_id}`. @example "accept" */
  @IsString()
  @Length(1, 50)
  @Matches(ACTION_ID_PATTERN, { message: 'action_id must contain only letters, digits, "_", "." and "-"' })
  @ApiProperty({ pattern: ACTION_ID_PATTERN.source })
  action_id: string;

  /** @example "Accept" */
  @IsString()
  @Length(1, 100)
  @NoControlChars()
  label: string;

  /** Where the button leads (http or https). @example "https://example.com/invites/42" */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  url?: string;
}
export const TEMPLATE_NAME_PATTERN = /^[A-Za-z0-9_.-]+$/;

const usesTemplate = (dto: SendNotificationDto): boolean => dto.template !== undefined;

/**
 * POST /api/notifications/send. Either a literal message (title, message, notification_type,
 * channel) or a template name with the data its placeholders need.
 */
export class SendNotificationDto {
  /** @example "user123" */
  @IsString()
  @Length(1, 255)
  @NoControlChars()
  user_id: string;

  /** Required unless `template` is given. @example "Welcome!" */
  @ValidateIf((dto: SendNotificationDto) => !usesTemplate(dto) || dto.title !== undefined)
  @IsString()
  @Length(1, 500)
  title?: string;

  /** Required unless `template` is given. @example "Thanks for joining our platform" */
  @ValidateIf((dto: SendNotificationDto) => !usesTemplate(dto) || dto.message !== undefined)
  @IsString()
  @Length(1, 10000)
  message?: string;

  /**
   * What kind of notification this is; preferences are kept per type. Defaults to the
   * template's category (or name) when sending by template.
   * @example "welcome"
   */
  @ValidateIf((dto: SendNotificationDto) => !usesTemplate(dto) || dto.notification_type !== undefined)
  @IsString()
  @Length(1, 100)
  @NoControlChars()
  notification_type?: string;

  /**
   * Required unless `template` is given (then the template's first channel). A built-in channel,
   * or one the host app registered with `NotificationModule.forRoot({ channels })`.
   * @example "in_app"
   */
  @ValidateIf((dto: SendNotificationDto) => !usesTemplate(dto) || dto.channel !== undefined)
  @IsChannelName()
  @ApiPropertyOptional({ enum: NOTIFICATION_CHANNELS })
  channel?: NotificationChannel;

  /** @example "normal" */
  @IsOptional()
  @IsIn(NOTIFICATION_PRIORITIES)
  priority?: NotificationPriority;

  /**
   * Free-form payload, up to 32 KiB as JSON; when sending by template, the values of its placeholders.
   * @example {"user_name": "Ada"}
   */
  @IsOptional()
  @IsPlainObject()
  @MaxJsonSize(MAX_DATA_BYTES)
  data?: JsonObject;

  /** Deliver at this time (ISO 8601) instead of now. @example "2026-12-01T09:00:00Z" */
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsWithinYears()
  scheduled_at?: string;

  /** Name of a stored template to render instead of a literal title and message. @example "welcome" */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @Matches(TEMPLATE_NAME_PATTERN, { message: 'template must contain only letters, digits, "_", "." and "-"' })
  @ApiPropertyOptional({ pattern: TEMPLATE_NAME_PATTERN.source })
  template?: string;

  /**
   * With `template`: the locale to render it in (BCP 47), in place of the user's contact locale.
   * Falls back from `pt-BR` to `pt`, then to the template's own text.
   * @example "pt-BR"
   */
  @IsOptional()
  @IsLocaleTag()
  @ApiPropertyOptional({ pattern: LOCALE_TAG_PATTERN.source, maxLength: MAX_LOCALE_TAG_LENGTH })
  locale?: string;

  /** Up to two buttons the inbox shows; each needs an `action_id` unique in the notification. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(2)
  @ArrayUnique((action: NotificationActionDto) => action?.action_id, { message: 'actions must have different action_id values' })
  @ValidateNested({ each: true })
  @Type(() => NotificationActionDto)
  actions?: NotificationActionDto[];
}

export class SendNotificationResponseDto {
  /** @example true */
  success: boolean;

  /** Null when the user's preferences suppressed the notification. @example "9a7b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d" */
  notification_id: string | null;

  /** @example "sent" */
  status: string;

  /** Why nothing was sent, when status is "suppressed". */
  reason?: string;
}

export class InboxQueryDto {
  /** Page size, 1–200. @example 50 */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  @ApiPropertyOptional({ type: 'integer' })
  limit?: number;

  /** The next_cursor of the previous page. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  cursor?: string;

  /** Only notifications not yet read. @example false */
  @IsOptional()
  @Transform(({ value }) => booleanParam(value))
  @IsBoolean()
  unread_only?: boolean;

  /** Only notifications of this channel (e.g. in_app for an in-app feed; or a channel the host registered). */
  @IsOptional()
  @IsChannelName()
  @ApiPropertyOptional({ enum: NOTIFICATION_CHANNELS })
  channel?: NotificationChannel;

  /** Only notifications of this type. @example "comment" */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  notification_type?: string;

  /** Only notifications of this category (their type's, or their template's). @example "social" */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  category?: string;

  /** Only notifications in this status. @example "sent" */
  @IsOptional()
  @IsIn(NOTIFICATION_STATUSES)
  status?: NotificationStatus;

  /** The archive instead of the inbox. @example false */
  @IsOptional()
  @Transform(({ value }) => booleanParam(value))
  @IsBoolean()
  archived?: boolean;

  /** The snoozed notifications instead of the inbox. @example false */
  @IsOptional()
  @Transform(({ value }) => booleanParam(value))
  @IsBoolean()
  snoozed?: boolean;
}

/** A query flag: true/1 and false/0; anything else is left for @IsBoolean to refuse. */
function booleanParam(value: unknown): unknown {
  return value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
}

export class NotificationIdParamDto {
  /** @example "9a7b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d" */
  @IsUUID()
  @ApiProperty({ format: 'uuid' })
  notification_id: string;
}

export class NotificationDto {
  id: string;
  /** @example "user123" */
  user_id: string;
  /** @example "Welcome!" */
  title: string;
  /** @example "Thanks for joining our platform" */
  message: string;
  /** @example "welcome" */
  notification_type: string;
  /** A built-in channel or one the host app registered. @example "in_app" */
  channel: NotificationChannel;
  /** @example "sent" */
  status: NotificationStatus;
  data: JsonObject | null;
  /** @example "normal" */
  priority: NotificationPriority;
  /** @example "2026-11-26T09:00:00.000Z" */
  created_at: string;
  scheduled_at: string | null;
  sent_at: string | null;
  read_at: string | null;
  template_id: string | null;
  error: string | null;
  seen_at: string | null;
  archived_at: string | null;
  /** Out of the inbox until then. */
  snoozed_until: string | null;
  /** @example "social" */
  category: string | null;
  actions: NotificationActionResponseDto[];
  /** Which action the user took, and when; null until one is. */
  action_taken: ActionTakenDto | null;
  /** Landed in the user's quiet hours or pause: shown in the inbox without an alert. */
  silent: boolean;
  /** The digest it was gathered into (status `digested`): that digest's message lists it. */
  digest_id: string | null;
}

export class NotificationActionResponseDto {
  /** @example "accept" */
  action_id: string;
  /** @example "Accept" */
  label: string;
  url: string | null;
  /** Whether the user took this action. */
  completed: boolean;
}

export class ActionTakenDto {
  /** @example "accept" */
  action_id: string;
  at: string;
}

export class InboxResponseDto {
  /** @example true */
  success: boolean;
  /** Newest first. */
  notifications: NotificationDto[];
  /** Unread notifications of the user (in the same channel filter). @example 3 */
  @ApiProperty({ type: 'integer' })
  unread_count: number;
  /** Pass as `cursor` to get the next page; null on the last page. */
  next_cursor: string | null;
}

export class MarkReadResponseDto {
  /** @example true */
  success: boolean;
  notification: NotificationDto;
}

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null);

export function toNotificationDto(notification: Notification): NotificationDto {
  return {
    id: notification.id,
    user_id: notification.userId,
    title: notification.title,
    message: notification.message,
    notification_type: notification.notificationType,
    channel: notification.channel,
    status: notification.status,
    data: notification.data,
    priority: notification.priority,
    created_at: notification.createdAt.toISOString(),
    scheduled_at: iso(notification.scheduledAt),
    sent_at: iso(notification.sentAt),
    read_at: iso(notification.readAt),
    template_id: notification.templateId,
    error: notification.error,
    seen_at: iso(notification.seenAt),
    archived_at: iso(notification.archivedAt),
    snoozed_until: iso(notification.snoozedUntil),
    category: notification.category,
    actions: (notification.actions ?? []).map((action) => ({ ...action, completed: action.action_id === notification.actionTakenId })),
    action_taken:
      notification.actionTakenId !== null && notification.actionTakenAt !== null
        ? { action_id: notification.actionTakenId, at: notification.actionTakenAt.toISOString() }
        : null,
    silent: notification.silent,
    digest_id: notification.digestId,
  };
}

/** 201 when a notification was stored, 200 when preferences suppressed it. */
export function sendResponseStatus(result: { notification: unknown }): number {
  return result.notification === null ? 200 : 201;
}

export function sendResponseBody(result: {
  status: string;
  notification: { id: string } | null;
  reason?: string;
}): SendNotificationResponseDto & Record<string, unknown> {
  return result.notification === null
    ? { success: true, notification_id: null, status: result.status, reason: result.reason }
    : { success: true, notification_id: result.notification.id, status: result.status };
}
