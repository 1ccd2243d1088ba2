import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length } from 'class-validator';
import type { JsonObject } from '../../common/json';
import { IsPlainObject } from '../../common/validation/is-plain-object.decorator';
import { MaxJsonSize } from '../../common/validation/max-json-size.decorator';
import { NoControlChars } from '../../common/validation/no-control-chars.decorator';
import type { UserSession } from '../entities/user-session.entity';

/** POST /api/session/start. */
export class StartSessionDto {
  /** @example "user123" */
  @IsString()
  @Length(1, 255)
  @NoControlChars()
  user_id: string;

  /**
   * What the client knows about its device, up to 4 KiB as JSON.
   * @example {"platform": "web", "screen": "1920x1080"}
   */
  @IsOptional()
  @IsPlainObject()
  @MaxJsonSize(4096)
  device_info?: JsonObject;

  /**
   * The end user's `user_agent` and `ip`, for a backend starting a session on a user's behalf
   * (a secret key's own User-Agent and address are not the user's), up to 8 KiB as JSON.
   * @example {"user_agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15", "ip": "203.0.113.7"}
   */
  @IsOptional()
  @IsPlainObject()
  @MaxJsonSize(8 * 1024)
  context?: JsonObject;
}

export class SessionIdParamDto {
  /** @example "0b6e2f8c-7c4e-4e8f-9a43-2f1f4f1c9d10" */
  @IsUUID()
  @ApiProperty({ format: 'uuid' })
  session_id: string;
}

export class StartSessionResponseDto {
  /** @example true */
  success: boolean;

  /** @example "0b6e2f8c-7c4e-4e8f-9a43-2f1f4f1c9d10" */
  session_id: string;
}

export class SessionDto {
  /** @example "0b6e2f8c-7c4e-4e8f-9a43-2f1f4f1c9d10" */
  id: string;

  /** @example "user123" */
  user_id: string;

  /** @example "2026-11-26T09:00:00.000Z" */
  start_time: string;

  /** @example "2026-11-26T09:12:30.000Z" */
  end_time: string | null;

  /**
   * Seconds from start to end; null while the session is open.
   * @example 750
   */
  duration: number | null;

  /** @example ["/dashboard", "/settings"] */
  pages_visited: string[];

  /** @example 12 */
  @ApiProperty({ type: 'integer' })
  activity_count: number;

  device_info: JsonObject | null;

  /** @example "203.0.113.7" */
  ip_address: string | null;

  user_agent: string | null;

  /** Time of the latest activity in the session. */
  last_activity_at: string | null;

  /** The first page seen in the session. @example "/pricing" */
  entry_page: string | null;

  /** The last page seen in the session. @example "/checkout" */
  exit_page: string | null;
}

export class EndSessionResponseDto {
  /** @example true */
  success: boolean;

  session: SessionDto;
}

export function toSessionDto(session: UserSession): SessionDto {
  return {
    id: session.id,
    user_id: session.userId,
    start_time: session.startTime.toISOString(),
    end_time: session.endTime ? session.endTime.toISOString() : null,
    duration: session.duration,
    pages_visited: session.pagesVisited,
    activity_count: session.activityCount,
    device_info: session.deviceInfo,
    ip_address: session.ipAddress,
    user_agent: session.userAgent,
    last_activity_at: session.lastActivityAt ? session.lastActivityAt.toISOString() : null,
    entry_page: session.entryPage,
    exit_page: session.exitPage,
  };
}
