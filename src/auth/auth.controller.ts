import { EngageController } from './engage-controller.decorator';
import { Body, HttpCode, HttpStatus, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { CreateUserTokenDto, RevokeUserTokensDto, RevokeUserTokensResponseDto, UserTokenResponseDto } from './dto/user-token.dto';
import { UserTokenService } from './user-token.service';

@ApiTags('auth')
@EngageController('api/auth')
export class AuthController {
  constructor(private readonly userTokens: UserTokenService) {}

  /** Mints a user token (admin key only); hosts may also mint them themselves with USER_TOKEN_SECRET. */
  @Post('user-token')
  @ApiOperation({ summary: 'Mint a user token' })
  @ApiCreatedResponse({ type: UserTokenResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async create(@Body() dto: CreateUserTokenDto): Promise<UserTokenResponseDto> {
    const { token, expiresAt } = await this.userTokens.mint(dto.user_id, dto.ttl_seconds ?? null);
    return { success: true, token, expires_at: expiresAt.toISOString() };
  }

  /** Revokes every user token of a user issued until now (admin key only); erasing a user does it too. */
  @Post('user-token/revoke')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Revoke a user’s tokens' })
  @ApiOkResponse({ type: RevokeUserTokensResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async revoke(@Body() dto: RevokeUserTokensDto): Promise<RevokeUserTokensResponseDto> {
    const revokedAt = await this.userTokens.revokeUser(dto.user_id);
    return { success: true, user_id: dto.user_id, revoked_at: revokedAt.toISOString() };
  }
}
