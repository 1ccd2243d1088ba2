import { EngageController } from '../../auth/engage-controller.decorator';
import { Body, Get, Header, HttpCode, HttpStatus, Post, Req } from '@nestjs/common';
import { ApiBasicAuth, ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiParam, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CredentialFrom, CurrentPrincipal, Scopes } from '../../auth/auth.decorators';
import type { Principal } from '../../auth/principal';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import type { JsonObject } from '../../common/json';
import { Client } from '../ingest/client-info.decorator';
import type { ClientInfo } from '../ingest/client-info';
import {
  SegmentAliasDto,
  SegmentBatchDto,
  SegmentGroupDto,
  SegmentIdentifyDto,
  SegmentPageDto,
  SegmentResponseDto,
  SegmentScreenDto,
  SegmentTrackDto,
} from './segment-message.dto';
import { SEGMENT_PATHS } from './segment-mapping';
import { analyticsJsSettings, SegmentService } from './segment.service';

const ACCEPTED: SegmentResponseDto = { success: true };

/**
 * Segment's HTTP Tracking API, so that Segment's libraries (analytics-node, analytics.js,
 * the mobile SDKs) and code written against api.segment.io work by changing the host. Each call
 * has Segment's long path and the one-letter path analytics.js posts to. Bodies are the
 * protocol's own camelCase messages; they are checked by the service (a message may carry fields
 * the protocol defines and Engage ignores), so the handlers take them as they come.
 */
@ApiTags('segment')
@ApiBasicAuth('write-key')
@ApiBearerAuth('bearer')
@ApiSecurity('x-api-key')
@EngageController('v1')
@Scopes('track')
@CredentialFrom({ body: 'writeKey' })
export class SegmentController {
  constructor(private readonly segment: SegmentService) {}

  /** Something a user did: an activity whose type is the event name. */
  @Post([...SEGMENT_PATHS.track])
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Segment track' })
  @ApiBody({ type: SegmentTrackDto })
  @ApiOkResponse({ type: SegmentResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.PAYLOAD_TOO_LARGE)
  async track(
    @Body() body: unknown,
    @Client() client: ClientInfo,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<SegmentResponseDto> {
    await this.segment.receive('track', body, client, principal);
    return ACCEPTED;
  }

  /** A page view: a page_view activity with the page's URL. */
  @Post([...SEGMENT_PATHS.page])
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Segment page' })
  @ApiBody({ type: SegmentPageDto })
  @ApiOkResponse({ type: SegmentResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.PAYLOAD_TOO_LARGE)
  async page(
    @Body() body: unknown,
    @Client() client: ClientInfo,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<SegmentResponseDto> {
    await this.segment.receive('page', body, client, principal);
    return ACCEPTED;
  }

  /** A mobile screen view: a screen_view activity. */
  @Post([...SEGMENT_PATHS.screen])
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Segment screen' })
  @ApiBody({ type: SegmentScreenDto })
  @ApiOkResponse({ type: SegmentResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.PAYLOAD_TOO_LARGE)
  async screen(
    @Body() body: unknown,
    @Client() client: ClientInfo,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<SegmentResponseDto> {
    await this.segment.receive('screen', body, client, principal);
    return ACCEPTED;
  }

  /** Who the user is: ties the anonymousId to the userId and stores the traits. */
  @Post([...SEGMENT_PATHS.identify])
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Segment identify' })
  @ApiBody({ type: SegmentIdentifyDto })
  @ApiOkResponse({ type: SegmentResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.PAYLOAD_TOO_LARGE)
  async identify(
    @Body() body: unknown,
    @Client() client: ClientInfo,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<SegmentResponseDto> {
    await this.segment.receive('identify', body, client, principal);
    return ACCEPTED;
  }

  /**
   * previousId is now userId: its anonymous history becomes the user's. With a secret admin key,
   * a previousId that is an older user id brings that user's history, traits and groups too.
   */
  @Post([...SEGMENT_PATHS.alias])
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Segment alias' })
  @ApiBody({ type: SegmentAliasDto })
  @ApiOkResponse({ type: SegmentResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.PAYLOAD_TOO_LARGE)
  async alias(
    @Body() body: unknown,
    @Client() client: ClientInfo,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<SegmentResponseDto> {
    await this.segment.receive('alias', body, client, principal);
    return ACCEPTED;
  }

  /** The user belongs to a group; the group's traits are stored. */
  @Post([...SEGMENT_PATHS.group])
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Segment group' })
  @ApiBody({ type: SegmentGroupDto })
  @ApiOkResponse({ type: SegmentResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.PAYLOAD_TOO_LARGE)
  async group(
    @Body() body: unknown,
    @Client() client: ClientInfo,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<SegmentResponseDto> {
    await this.segment.receive('group', body, client, principal);
    return ACCEPTED;
  }

  /** Up to 500 messages of any type (500 KB, 32 KB each), stored together or, if one is invalid, not at all. */
  @Post([...SEGMENT_PATHS.batch])
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Segment batch (also /v1/import)' })
  @ApiBody({ type: SegmentBatchDto })
  @ApiOkResponse({ type: SegmentResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.PAYLOAD_TOO_LARGE)
  async batch(
    @Body() body: unknown,
    @Client() client: ClientInfo,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<SegmentResponseDto> {
    await this.segment.receiveBatch(body, client, principal);
    return ACCEPTED;
  }

  /**
   * The settings analytics.js loads from its cdnURL: they point it at this Engage for its calls.
   * The write key in the path is a URL, so only publishable (track) keys are accepted.
   */
  @Get('projects/:writeKey/settings')
  @CredentialFrom({ param: 'writeKey' })
  // The key in the path is the credential: no header is read.
  @ApiOperation({ summary: 'Settings for analytics.js', security: [] })
  @ApiParam({ name: 'writeKey', description: 'A publishable (track) key' })
  @ApiOkResponse({
    description: "analytics.js's settings: its Segment.io integration pointed at this host",
    schema: {
      type: 'object',
      required: ['integrations', 'metrics'],
      properties: {
        integrations: {
          type: 'object',
          required: ['Segment.io'],
          properties: {
            'Segment.io': {
              type: 'object',
              required: ['apiKey', 'apiHost', 'protocol'],
              properties: {
                apiKey: { type: 'string' },
                apiHost: { type: 'string', example: 'engage.example.com/v1' },
                protocol: { type: 'string', enum: ['http', 'https'] },
              },
            },
          },
        },
        metrics: { type: 'object', properties: { sampleRate: { type: 'number', example: 0 } } },
      },
    },
  })
  @ApiErrorResponses(HttpStatus.UNAUTHORIZED, HttpStatus.FORBIDDEN, HttpStatus.TOO_MANY_REQUESTS)
  @Header('Cache-Control', 'no-store')
  settings(@Req() request: Request): JsonObject {
    return analyticsJsSettings(request.params.writeKey as string, `${request.get('host')}/v1`, request.protocol);
  }
}
