import { Body, Controller, HttpStatus, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { CreateUserTokenDto, UserTokenResponseDto } from './dto/user-token.dto';
import { UserTokenService } from './user-token.service';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly userTokens: UserTokenService) {}

  /** Mints a user token (admin key only); hosts may also mint them themselves with USER_TOKEN_SECRET. */
  @Post('user-token')
  @ApiOperation({ summary: 'Mint a user token' })
  @ApiCreatedResponse({ type: UserTokenResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async create(@Body() dto: CreateUserTokenDto): Promise<UserTokenResponseDto> {
    const { token, expiresAt } = await this.userTokens.mint(dto.user_id, dto.ttl_seconds);
    return { success: true, token, expires_at: expiresAt.toISOString() };
  }
}
