import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  Equals,
  IsArray,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsWithinYears } from '../../common/validation/within-years.decorator';
import type { ScheduleView } from '../schedule/schedule.service';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

export class QuietWindowDto {
  /** ISO weekdays: 1 = Monday … 7 = Sunday. @example [1, 2, 3, 4, 5] */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(7)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(7, { each: true })
  @ApiProperty({ type: 'integer', isArray: true })
  days: number[];

  /** Local start, 24-hour "HH:MM". @example "22:00" */
  @IsString()
  @Matches(HHMM, { message: 'start must be a time "HH:MM" (00:00–23:59)' })
  @ApiProperty({ pattern: HHMM.source })
  start: string;

  /** Local end; at or before start runs past midnight. @example "07:00" */
  @IsString()
  @Matches(HHMM, { message: 'end must be a time "HH:MM" (00:00–23:59)' })
  @ApiProperty({ pattern: HHMM.source })
  end: string;
}

/** PUT /api/notifications/preferences/{user_id}/schedule: the user's quiet hours. */
export class PutScheduleDto {
  /** IANA timezone the hours are in; left out: the contact's timezone, else UTC. @example "Europe/London" */
  @IsOptional()
  @IsString()
  @Length(1, 64)
  timezone?: string;

  /** Up to 14 windows; [] for none. */
  @IsArray()
  @ArrayMaxSize(14)
  @ValidateNested({ each: true })
  @Type(() => QuietWindowDto)
  quiet_hours: QuietWindowDto[];
}

/** POST /api/notifications/preferences/{user_id}/pause: exactly one of the three. */
export class PauseDto {
  /** For this many minutes (1 to 30 days). @example 60 */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(43_200)
  @ApiPropertyOptional({ type: 'integer' })
  minutes?: number;

  /** Until this time (ISO 8601, in the future). @example "2026-12-03T08:00:00Z" */
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsWithinYears()
  until?: string;

  /** Until 08:00 tomorrow, the user's local time. @example true */
  @IsOptional()
  @Equals(true, { message: 'until_tomorrow must be true when given' })
  until_tomorrow?: boolean;
}

export class ScheduleDto {
  /** @example "user123" */
  user_id: string;
  /** The timezone the hours are read in (the schedule's, else the contact's, else UTC). @example "Europe/London" */
  timezone: string;
  /** Whether the timezone was set here (false: taken from the contact, or UTC). */
  timezone_set: boolean;
  quiet_hours: QuietWindowDto[];
  paused_until: string | null;
  /** When a non-urgent notification due now would go out; null: at once. */
  holds_until: string | null;
}

export class ScheduleResponseDto {
  /** @example true */
  success: boolean;
  schedule: ScheduleDto;
}

export function toScheduleDto(view: ScheduleView): ScheduleDto {
  return {
    user_id: view.schedule.userId,
    timezone: view.timezone,
    timezone_set: view.schedule.timezone !== null,
    quiet_hours: view.schedule.quietHours,
    paused_until: view.schedule.pausedUntil ? view.schedule.pausedUntil.toISOString() : null,
    holds_until: view.holdsUntil ? view.holdsUntil.toISOString() : null,
  };
}
