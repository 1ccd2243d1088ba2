import {
  Controller,
  Headers,
  HttpStatus,
  type MessageEvent,
  Query,
  Req,
  Sse,
  SseSignal,
  UseFilters,
  UseGuards,
  UsePipes,
} from '@nestjs/common';
import type { Request } from 'express';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import { CurrentPrincipal, UserScoped } from '../../auth/auth.decorators';
import { CredentialThrottlerGuard } from '../../auth/credential-throttler.guard';
import type { Principal } from '../../auth/principal';
import { AllExceptionsFilter } from '../../common/all-exceptions.filter';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { EngageValidationPipe } from '../../common/validation/validation.pipe';
import { StreamQueryDto } from './dto/stream.dto';
import { NotificationStreamService } from './notification-stream.service';
import { resumeAfter, streamUserOf } from './stream-access';
import { StreamAuthGuard } from './stream-auth.guard';

/**
 * The inbox as Server-Sent Events. EngageController's guard, throttling, pipe and filter, with
 * StreamAuthGuard in AuthGuard's place: an EventSource cannot send an Authorization header, so
 * this route also takes a ticket in the URL, which AuthGuard (run first, as a class guard) would
 * refuse before any route guard could accept it.
 */
@ApiTags('inbox')
@Controller('api/notifications/stream')
@UseGuards(StreamAuthGuard, CredentialThrottlerGuard)
@UsePipes(EngageValidationPipe)
@UseFilters(AllExceptionsFilter)
export class NotificationStreamController {
  constructor(private readonly streams: NotificationStreamService) {}

  /**
   * A user's inbox, live: `notification.created`, `notification.updated`, `notification.deleted`
   * and `counts` events, each with the user's counts; `reset` when a resumed stream missed more
   * than is kept (refetch); a heartbeat comment (every 25 s by default). Authenticate with a ticket
   * (`?ticket=`, from POST /api/notifications/stream/ticket) or the Authorization header; resume
   * with Last-Event-ID (or `?last_event_id=`).
   */
  @Sse()
  @UserScoped({ owned: true })
  @ApiOperation({ summary: 'Stream a user’s inbox events (Server-Sent Events)' })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'Resume after this event (what an EventSource sends on reconnecting)' })
  @ApiOkResponse({
    description:
      'Events `counts`, `notification.created`, `notification.updated`, `notification.deleted` (JSON data carrying the user’s counts) ' +
      'and `reset`, each with an `id` (the user’s own sequence, for Last-Event-ID); the first also sets `retry`; a `: heartbeat` comment between',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async stream(
    @Query() query: StreamQueryDto,
    @Headers('last-event-id') lastEventId: string | undefined,
    @SseSignal() signal: AbortSignal,
    @Req() request: Request,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<Observable<MessageEvent>> {
    const user = streamUserOf(principal, query.user_id);
    // Opened with a user token (or a ticket one asked for): the stream ends when that token does.
    const token = principal?.kind === 'user' ? principal.token : undefined;
    return this.streams.open(user, resumeAfter(lastEventId, query.last_event_id), { signal, response: request.res!, token });
  }
}
