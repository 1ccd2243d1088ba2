import { EngageController } from '../auth/engage-controller.decorator';
import { Body, HttpCode, HttpStatus, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Scopes, UserScoped } from '../auth/auth.decorators';
import { ownerOf } from '../auth/principal';
import type { Principal } from '../auth/principal';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { Client } from './ingest/client-info.decorator';
import type { ClientInfo } from './ingest/client-info';
import { ActivityService } from './activity.service';
import { TrackActivityDto, TrackActivityResponseDto, TrackBatchDto, TrackBatchResponseDto } from './dto/activity.dto';
import { IdentifyDto, IdentifyResponseDto } from './dto/identify.dto';
import { IdentityService } from './identity.service';

@ApiTags('activity')
@EngageController('api/activity')
export class ActivityController {
  constructor(
    private readonly activities: ActivityService,
    private readonly identities: IdentityService,
  ) {}

  /** The anonymous visitor is this user: earlier events and sessions become theirs, and later ones go to them. */
  @Post('identify')
  @HttpCode(HttpStatus.OK)
  @Scopes('track')
  @UserScoped({ body: 'user_id' })
  @ApiOperation({ summary: 'Identify an anonymous visitor' })
  @ApiOkResponse({ type: IdentifyResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.FORBIDDEN)
  async identify(@Body() dto: IdentifyDto, @CurrentPrincipal() principal: Principal | undefined): Promise<IdentifyResponseDto> {
    const moved = await this.identities.identify(dto, ownerOf(principal));
    return { success: true, user_id: dto.user_id, merged_activities: moved.activities, merged_sessions: moved.sessions };
  }

  /**
   * Records one activity of a user; counts it in its session (started automatically when none
   * is named) and the user's analytics. A repeated event_id answers 200 with duplicate: true.
   */
  @Post('track')
  @Scopes('track')
  @UserScoped({ body: 'user_id' })
  @ApiOperation({ summary: 'Track a user activity' })
  @ApiCreatedResponse({ type: TrackActivityResponseDto })
  @ApiOkResponse({ type: TrackActivityResponseDto, description: 'A duplicate event_id: nothing stored again' })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND, HttpStatus.PAYLOAD_TOO_LARGE)
  async track(
    @Body() dto: TrackActivityDto,
    @Client() client: ClientInfo,
    @Res({ passthrough: true }) response: Response,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<TrackActivityResponseDto> {
    const outcome = await this.activities.track(dto, client, ownerOf(principal));
    if (outcome.status === 'duplicate') {
      response.status(HttpStatus.OK);
      return { success: true, activity_id: outcome.activityId, session_id: outcome.sessionId, duplicate: true };
    }
    return { success: true, activity_id: outcome.activityId, session_id: outcome.sessionId };
  }

  /** Records up to 500 events (512 kB): per-event results, the accepted ones in one transaction. */
  @Post('batch')
  @HttpCode(HttpStatus.OK)
  @Scopes('track')
  @UserScoped({ owned: true })
  @ApiOperation({ summary: 'Track a batch of activities' })
  @ApiOkResponse({ type: TrackBatchResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.PAYLOAD_TOO_LARGE)
  async batch(
    @Body() dto: TrackBatchDto,
    @Client() client: ClientInfo,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<TrackBatchResponseDto> {
    const outcomes = await this.activities.batch(dto, client, ownerOf(principal));
    const results = outcomes.map((outcome, index) =>
      outcome.status === 'rejected'
        ? { index, status: outcome.status, errors: outcome.errors }
        : { index, status: outcome.status, activity_id: outcome.activityId, session_id: outcome.sessionId },
    );
    const count = (status: string) => outcomes.filter((o) => o.status === status).length;
    return { success: true, accepted: count('accepted'), duplicates: count('duplicate'), rejected: count('rejected'), results };
  }
}
