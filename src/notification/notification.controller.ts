import { EngageController } from '../auth/engage-controller.decorator';
import { Body, Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiIdempotencyKey, IdempotencyKey } from './idempotency/idempotency-key.decorator';
import type { Response } from 'express';
import { RedeliveryService } from './delivery/redelivery.service';
import { RetryFailedDto, RetryResponseDto } from './dto/redelivery.dto';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import {
  NotificationIdParamDto,
  SendNotificationDto,
  SendNotificationResponseDto,
  sendResponseBody,
  sendResponseStatus,
} from './dto/notification.dto';
import { DeliveriesResponseDto, toDeliveryDto } from './dto/delivery.dto';
import { NotificationService } from './notification.service';
import { FanOutDto, FanOutResponseDto } from './dto/fan-out.dto';
import { FanOutService } from './fan-out/fan-out.service';

@ApiTags('notifications')
@EngageController('api/notifications')
export class NotificationController {
  constructor(
    private readonly notifications: NotificationService,
    private readonly redelivery: RedeliveryService,
    private readonly fanOuts: FanOutService,
  ) {}

  /**
   * Sends a notification, literal or from a template; 200 with status "suppressed" when
   * preferences rule it out. An Idempotency-Key header makes retries safe for 24 hours.
   */
  @Post('send')
  @ApiOperation({ summary: 'Send a notification' })
  @ApiIdempotencyKey('nothing sent twice')
  @ApiCreatedResponse({ type: SendNotificationResponseDto, description: 'Stored (in_app: delivered; other channels: queued)' })
  @ApiOkResponse({ type: SendNotificationResponseDto, description: 'Suppressed by the user’s preferences' })
  @ApiErrorResponses(
    HttpStatus.BAD_REQUEST,
    HttpStatus.NOT_FOUND,
    HttpStatus.CONFLICT,
    HttpStatus.PAYLOAD_TOO_LARGE,
    HttpStatus.UNPROCESSABLE_ENTITY,
  )
  async send(
    @Body() dto: SendNotificationDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SendNotificationResponseDto> {
    const result = await this.notifications.send(dto, idempotencyKey);
    if (result.replayed) {
      response.status(result.replayed.statusCode).setHeader('Idempotent-Replayed', 'true');
      return result.replayed.body as unknown as SendNotificationResponseDto;
    }
    response.status(sendResponseStatus(result));
    return sendResponseBody(result);
  }

  /**
   * One notification to up to 1,000 users, or to every subscriber of a topic, each under their own
   * preferences; 201 when anything was stored. An Idempotency-Key covers the whole fan-out.
   */
  @Post('fan-out')
  @ApiOperation({ summary: 'Send a notification to many users, or to a topic' })
  @ApiIdempotencyKey('no recipient notified twice')
  @ApiCreatedResponse({ type: FanOutResponseDto, description: 'Stored for at least one recipient' })
  @ApiOkResponse({ type: FanOutResponseDto, description: 'Stored for no one (all suppressed or undeliverable, or no subscribers)' })
  @ApiErrorResponses(
    HttpStatus.BAD_REQUEST,
    HttpStatus.NOT_FOUND,
    HttpStatus.CONFLICT,
    HttpStatus.PAYLOAD_TOO_LARGE,
    HttpStatus.UNPROCESSABLE_ENTITY,
  )
  async fanOut(
    @Body() dto: FanOutDto,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<FanOutResponseDto> {
    const { answer, replayed } = await this.fanOuts.fanOut(dto, idempotencyKey);
    response.status(answer.statusCode);
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return answer.body as unknown as FanOutResponseDto;
  }

  /** Sends again the failed notifications created in a time range, of one channel or all (admin keys only). */
  @Post('retry')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Retry failed notifications in bulk' })
  @ApiOkResponse({ type: RetryResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async retryFailed(@Body() dto: RetryFailedDto): Promise<RetryResponseDto> {
    const ids = await this.redelivery.retryFailed({ from: new Date(dto.from), to: new Date(dto.to), channel: dto.channel });
    return { success: true, retried: ids.length, notification_ids: ids };
  }

  /** Every delivery attempt of a notification: provider, timing, outcome, status code, error. */
  @Get('deliveries/:notification_id')
  @ApiOperation({ summary: 'List a notification’s delivery attempts' })
  @ApiOkResponse({ type: DeliveriesResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND)
  async deliveries(@Param() params: NotificationIdParamDto): Promise<DeliveriesResponseDto> {
    const { notification, deliveries } = await this.notifications.deliveries(params.notification_id);
    return { success: true, notification_id: notification.id, status: notification.status, deliveries: deliveries.map(toDeliveryDto) };
  }

  /** Sends a failed notification again, with a fresh set of attempts (admin keys only). */
  @Post('retry/:notification_id')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Retry a failed notification' })
  @ApiOkResponse({ type: RetryResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT)
  async retry(@Param() params: NotificationIdParamDto): Promise<RetryResponseDto> {
    await this.redelivery.retry(params.notification_id);
    return { success: true, retried: 1, notification_ids: [params.notification_id] };
  }
}
