import { EngageController } from '../auth/engage-controller.decorator';
import { Body, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Scopes, UserScoped } from '../auth/auth.decorators';
import { ownerOf } from '../auth/principal';
import type { Principal } from '../auth/principal';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { Client } from './ingest/client-info.decorator';
import type { ClientInfo } from './ingest/client-info';
import { EndSessionResponseDto, SessionIdParamDto, StartSessionDto, StartSessionResponseDto, toSessionDto } from './dto/session.dto';
import { SessionService } from './session.service';

@ApiTags('sessions')
@EngageController('api/session')
export class SessionController {
  constructor(private readonly sessions: SessionService) {}

  /** Opens a session for a user; activities can then name it in session_id. */
  @Post('start')
  @Scopes('track')
  @UserScoped({ body: 'user_id' })
  @ApiOperation({ summary: 'Start a user session' })
  @ApiCreatedResponse({ type: StartSessionResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async start(@Body() dto: StartSessionDto, @Client() client: ClientInfo): Promise<StartSessionResponseDto> {
    const session = await this.sessions.start(dto, client);
    return { success: true, session_id: session.id };
  }

  /** Closes a session and records its duration; ending it again returns the first end. */
  @Post('end/:session_id')
  @Scopes('track')
  @UserScoped({ owned: true })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'End a user session' })
  @ApiOkResponse({ type: EndSessionResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND)
  async end(@Param() params: SessionIdParamDto, @CurrentPrincipal() principal: Principal | undefined): Promise<EndSessionResponseDto> {
    const session = await this.sessions.end(params.session_id, ownerOf(principal));
    return { success: true, session: toSessionDto(session) };
  }
}
