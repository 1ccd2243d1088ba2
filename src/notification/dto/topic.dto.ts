import { applyDecorators } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsInt, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { NoControlChars } from '../../common/validation/no-control-chars.decorator';

export const TOPIC_KEY_PATTERN = /^[A-Za-z0-9_.:-]+$/;
/** Most users one call subscribes, unsubscribes or sends to. */
export const MAX_USERS_PER_CALL = 1000;

export class TopicKeyParamDto {
  /** Letters, digits and `_ . : -`. @example "project:42" */
  @IsString()
  @Length(1, 100)
  @Matches(TOPIC_KEY_PATTERN, { message: 'key must contain only letters, digits, "_", ".", ":" and "-"' })
  @ApiProperty({ pattern: TOPIC_KEY_PATTERN.source })
  key: string;
}

/** A list of 1 to 1,000 user ids, each once: what a topic change and a fan-out take. */
export function IsUserIdList(): PropertyDecorator {
  return applyDecorators(
    IsArray(),
    ArrayMinSize(1),
    ArrayMaxSize(MAX_USERS_PER_CALL),
    ArrayUnique(),
    IsString({ each: true }),
    Length(1, 255, { each: true }),
    NoControlChars({ each: true }),
  );
}

/** PUT (subscribe) or DELETE (unsubscribe) /api/topics/{key}/subscribers. */
export class TopicSubscribersDto {
  /** Up to 1,000 user ids, each once. @example ["user123", "user456"] */
  @IsUserIdList()
  user_ids: string[];
}

export class TopicSubscribersQueryDto {
  /** Page size, 1–1000. @example 100 */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_USERS_PER_CALL)
  @ApiProperty({ type: 'integer', required: false })
  limit?: number;

  /** The next_cursor of the previous page. */
  @IsOptional()
  @IsString()
  @Length(1, 255)
  cursor?: string;
}

export class TopicChangeResponseDto {
  /** @example true */
  success: boolean;
  /** @example "project:42" */
  key: string;
  /** How many subscriptions the call added or removed. @example 2 */
  @ApiProperty({ type: 'integer' })
  changed: number;
  /** Subscribers after the call. @example 2 */
  @ApiProperty({ type: 'integer' })
  subscribers: number;
}

export class TopicSubscribersResponseDto {
  /** @example true */
  success: boolean;
  /** @example "project:42" */
  key: string;
  /** In user id order. @example ["user123", "user456"] */
  user_ids: string[];
  /** Pass as `cursor` for the next page; null on the last. */
  next_cursor: string | null;
}
