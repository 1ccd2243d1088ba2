import { IsInt, IsOptional, IsString, Length, Max, Min } from 'class-validator';
import { NoControlChars } from '../../common/validation/no-control-chars.decorator';

/** POST /api/auth/user-token: a token for one end user, for client-side calls. */
export class CreateUserTokenDto {
  /** @example "user123" */
  @IsString()
  @Length(1, 255)
  @NoControlChars()
  user_id: string;

  /** Lifetime in seconds (60 s to 30 days; default USER_TOKEN_TTL_SECONDS). @example 3600 */
  @IsOptional()
  @IsInt()
  @Min(60)
  @Max(30 * 24 * 3600)
  ttl_seconds?: number;
}

export class UserTokenResponseDto {
  /** @example true */
  success: boolean;
  /** A JWT (HS256) to send as `Authorization: Bearer <token>`. */
  token: string;
  /** @example "2026-11-26T10:00:00.000Z" */
  expires_at: string;
}
