import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { NoControlChars } from '../../common/validation/no-control-chars.decorator';
import { Nullable } from '../../common/validation/nullable.decorator';

/** POST /api/auth/user-token: a token for one end user, for client-side calls. */
export class CreateUserTokenDto {
  /** @example "user123" */
  @IsString()
  @Length(1, 255)
  @NoControlChars()
  user_id: string;

  /**
   * Lifetime in seconds, from 60 up to USER_TOKEN_MAX_TTL_SECONDS (30 days by default);
   * absent or null means USER_TOKEN_TTL_SECONDS.
   * @example 3600
   */
  @IsOptional()
  @Nullable()
  @IsInt()
  @Min(60)
  @Max(365 * 24 * 3600)
  @ApiPropertyOptional({ type: 'integer' })
  ttl_seconds?: number | null;
}

/** POST /api/auth/user-token/revoke: every token of the user issued until now stops working. */
export class RevokeUserTokensDto {
  /** @example "user123" */
  @IsString()
  @Length(1, 255)
  @NoControlChars()
  user_id: string;
}

export class RevokeUserTokensResponseDto {
  /** @example true */
  success: boolean;
  /** @example "user123" */
  user_id: string;
  /** Tokens issued until this time are refused. @example "2026-11-26T10:00:00.000Z" */
  revoked_at: string;
}

export class UserTokenResponseDto {
  /** @example true */
  success: boolean;
  /** A JWT (HS256) to send as `Authorization: Bearer <token>`. */
  token: string;
  /** @example "2026-11-26T10:00:00.000Z" */
  expires_at: string;
}
