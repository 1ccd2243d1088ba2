import { ApiProperty } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import type { JsonObject } from '../../common/json';
import { IsPlainObject } from '../../common/validation/is-plain-object.decorator';
import { MaxJsonSize } from '../../common/validation/max-json-size.decorator';
import { NoControlChars } from '../../common/validation/no-control-chars.decorator';

/** POST /api/activity/identify: the anonymous visitor is this user. */
export class IdentifyDto {
  /** @example "anon-7f3c" */
  @IsString()
  @Length(1, 255)
  @NoControlChars()
  anonymous_id: string;

  /** @example "user123" */
  @IsString()
  @Length(1, 255)
  @NoControlChars()
  user_id: string;

  /** What the host knows of the user (name, plan…), up to 8 KiB as JSON. @example {"plan": "pro"} */
  @IsOptional()
  @IsPlainObject()
  @MaxJsonSize(8 * 1024)
  traits?: JsonObject;
}

export class IdentifyResponseDto {
  /** @example true */
  success: boolean;
  /** @example "user123" */
  user_id: string;
  /** Earlier anonymous activities now the user's. @example 12 */
  @ApiProperty({ type: 'integer' })
  merged_activities: number;
  /** Earlier anonymous sessions now the user's. @example 2 */
  @ApiProperty({ type: 'integer' })
  merged_sessions: number;
}
