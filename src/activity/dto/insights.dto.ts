import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsWithinYears } from '../../common/validation/within-years.decorator';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsISO8601, IsOptional, IsString, Length, Max, Min } from 'class-validator';

/** GET /api/analytics/overview. Dates are UTC days (YYYY-MM-DD), both ends included. */
export class OverviewQueryDto {
  /** Default: 29 days before `to`. @example "2026-11-01" */
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsWithinYears()
  from?: string;

  /** Default: today. @example "2026-11-30" */
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsWithinYears()
  to?: string;

  /** @example "day" */
  @IsOptional()
  @IsIn(['day', 'week'])
  interval?: 'day' | 'week';
}

/** POST /api/analytics/funnel. */
export class FunnelDto {
  /** Activity types or page URLs, in order. @example ["/pricing", "signup", "purchase"] */
  @IsArray()
  @ArrayMinSize(2)
  @ArrayMaxSize(10)
  @IsString({ each: true })
  @Length(1, 2048, { each: true })
  steps: string[];

  /** Every step must follow the first within this many seconds (up to 90 days). @example 86400 */
  @IsInt()
  @Min(1)
  @Max(90 * 86400)
  @ApiProperty({ type: 'integer' })
  within_seconds: number;

  /** @example "2026-11-01T00:00:00Z" */
  @IsISO8601({ strict: true })
  @IsWithinYears()
  from: string;

  /** @example "2026-11-30T23:59:59Z" */
  @IsISO8601({ strict: true })
  @IsWithinYears()
  to: string;
}

/** GET /api/analytics/retention. */
export class RetentionQueryDto {
  /** @example "week" */
  @IsOptional()
  @IsIn(['day', 'week'])
  cohort?: 'day' | 'week';

  /** How many cohorts (the latest ones) and periods after each. @example 8 */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(52)
  @ApiPropertyOptional({ type: 'integer' })
  periods?: number;
}

export class RankedKeyDto {
  key: string;
  @ApiProperty({ type: 'integer' })
  count: number;
}

export class OverviewPeriodDto {
  /** The day, or the Monday of the week. @example "2026-11-23" */
  period: string;
  @ApiProperty({ type: 'integer' })
  active_users: number;
  @ApiProperty({ type: 'integer' })
  events: number;
  @ApiProperty({ type: 'integer' })
  sessions: number;
  @ApiProperty({ type: 'integer' })
  new_users: number;
}

export class OverviewTotalsDto {
  @ApiProperty({ type: 'integer' })
  active_users: number;
  @ApiProperty({ type: 'integer' })
  events: number;
  @ApiProperty({ type: 'integer' })
  sessions: number;
  /** Mean seconds of the ended sessions that started in the range. */
  avg_session_duration: number;
  /** Active in the range and first seen in it. */
  @ApiProperty({ type: 'integer' })
  new_users: number;
  /** Active in the range and first seen before it. */
  @ApiProperty({ type: 'integer' })
  returning_users: number;
}

export class OverviewResponseDto {
  success: boolean;
  from: string;
  to: string;
  interval: string;
  series: OverviewPeriodDto[];
  totals: OverviewTotalsDto;
  /** Distinct active users on `to`, in the 7 and the 30 days ending on `to`. */
  @ApiProperty({ type: 'integer' })
  dau: number;
  @ApiProperty({ type: 'integer' })
  wau: number;
  @ApiProperty({ type: 'integer' })
  mau: number;
  top_activity_types: RankedKeyDto[];
  top_pages: RankedKeyDto[];
}

export class FunnelStepDto {
  /** @example "signup" */
  step: string;
  /** Users who reached this step in order. @example 120 */
  @ApiProperty({ type: 'integer' })
  users: number;
  /** users / users of the previous step (1 for the first step). @example 0.4 */
  conversion: number;
}

export class FunnelResponseDto {
  success: boolean;
  steps: FunnelStepDto[];
}

export class CohortRowDto {
  /** The cohort's first day (or Monday). @example "2026-11-02" */
  cohort: string;
  /** Users first seen in the cohort's period. @example 50 */
  @ApiProperty({ type: 'integer' })
  size: number;
  /** Users of the cohort active in period 0, 1, 2… after it. */
  retained: number[];
  /** retained / size. */
  rates: number[];
}

export class RetentionResponseDto {
  success: boolean;
  cohort: string;
  @ApiProperty({ type: 'integer' })
  periods: number;
  cohorts: CohortRowDto[];
}
