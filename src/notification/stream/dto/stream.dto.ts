import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { NoControlChars } from '../../../common/validation/no-control-chars.decorator';
import type { Notification } from '../../entities/notification.entity';
import { type InboxCountsDto, toCountsDto } from '../../dto/inbox.dto';
import { type NotificationDto, toNotificationDto } from '../../dto/notification.dto';
import type { InboxCounts } from '../../inbox/inbox-counts';

/** GET /api/notifications/stream. */
export class StreamQueryDto {
  /** Whose stream: required with an API key; a user token or ticket opens its own user's (another id is a 403). @example "user123" */
  @IsOptional()
  @IsString()
  @Length(1, 255)
  user_id?: string;

  /** A ticket from POST /api/notifications/stream/ticket, in place of an Authorization header (EventSource cannot send one). */
  @IsOptional()
  @IsString()
  @Length(1, 200)
  ticket?: string;

  /** Resume after this event, for clients that cannot send the Last-Event-ID header (which wins when both are sent). */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  @ApiPropertyOptional({ type: 'integer' })
  last_event_id?: number;
}

/** POST /api/notifications/stream/ticket. */
export class StreamTicketDto {
  /** Whose stream the ticket opens: required with an API key; a user token's own user when left out. @example "user123" */
  @IsOptional()
  @IsString()
  @Length(1, 255)
  @NoControlChars()
  user_id?: string;
}

export class StreamTicketResponseDto {
  /** @example true */
  success: boolean;
  /** Single use, for `GET /api/notifications/stream?ticket=…` within 30 seconds. */
  ticket: string;
  /** @example "user123" */
  user_id: string;
  /** @example "2026-11-26T09:00:30.000Z" */
  expires_at: string;
}

/** Data of `notification.created` and `notification.updated`: the notification as it now is, and its user's counts. */
export interface NotificationEventData {
  notification: NotificationDto;
  counts: InboxCountsDto;
}

/** Data of `notification.deleted`. */
export interface NotificationDeletedEventData {
  notification_id: string;
  counts: InboxCountsDto;
}

/** A bulk action that changed many notifications at once (told by one `counts` event, not one event per notification). */
export interface InboxBulkAction {
  action: 'read_all' | 'seen_all' | 'archive_read';
  /** read_all of one type only. */
  notification_type: string | null;
  updated: number;
}

/** Data of `counts`: a bulk action's result, or (`bulk` null) the counts as a stream opens. */
export interface CountsEventData {
  counts: InboxCountsDto;
  bulk: InboxBulkAction | null;
}

/** Data of `reset`: what the client knows is out of date (it resumed from past the kept events); refetch, then go on from here. */
export interface ResetEventData {
  counts: InboxCountsDto;
}

export function toNotificationEventData(notification: Notification, counts: InboxCounts): NotificationEventData {
  return { notification: toNotificationDto(notification), counts: toCountsDto(counts) };
}

export function toDeletedEventData(notificationId: string, counts: InboxCounts): NotificationDeletedEventData {
  return { notification_id: notificationId, counts: toCountsDto(counts) };
}

export function toCountsEventData(counts: InboxCounts, bulk: InboxBulkAction | null): CountsEventData {
  return { counts: toCountsDto(counts), bulk };
}

export function toStreamTicketDto(ticket: { ticket: string; userId: string; expiresAt: Date }): StreamTicketResponseDto {
  return { success: true, ticket: ticket.ticket, user_id: ticket.userId, expires_at: ticket.expiresAt.toISOString() };
}
