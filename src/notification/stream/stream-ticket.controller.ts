import { Body, HttpStatus, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, UserScoped } from '../../auth/auth.decorators';
import { EngageController } from '../../auth/engage-controller.decorator';
import type { Principal } from '../../auth/principal';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { StreamTicketDto, StreamTicketResponseDto, toStreamTicketDto } from './dto/stream.dto';
import { streamUserOf } from './stream-access';
import { StreamTicketService } from './stream-ticket.service';

@ApiTags('inbox')
@EngageController('api/notifications/stream')
export class StreamTicketController {
  constructor(private readonly tickets: StreamTicketService) {}

  /**
   * A single-use ticket that opens the user's stream within 30 seconds
   * (`GET /api/notifications/stream?ticket=…`), so no long-lived credential goes in a URL. A user
   * token gets one for its own user; an API key names the user.
   */
  @Post('ticket')
  @UserScoped({ body: 'user_id' })
  @ApiOperation({ summary: 'Get a ticket to open a user’s inbox stream' })
  @ApiCreatedResponse({ type: StreamTicketResponseDto, description: 'A ticket for the stream, valid once, for 30 seconds' })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async issue(@Body() dto: StreamTicketDto, @CurrentPrincipal() principal?: Principal): Promise<StreamTicketResponseDto> {
    const token = principal?.kind === 'user' ? principal.token : undefined;
    return toStreamTicketDto(await this.tickets.issue(streamUserOf(principal, dto.user_id), token));
  }
}
