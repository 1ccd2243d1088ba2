import { Get, HttpCode, HttpStatus, Param, Post, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { EngageController } from '../auth/engage-controller.decorator';
import { RedeliveryService } from './delivery/redelivery.service';
import { DeliveriesResponseDto, toDeliveryDto } from './dto/delivery.dto';
import { NotificationIdParamDto } from './dto/notification.dto';
import { RetryResponseDto } from './dto/redelivery.dto';
import { NotificationService } from './notification.service';

/** When the `{id}/…` paths were deprecated (2026-12-02), as RFC 9745's structured date. */
const OLD_PATHS_DEPRECATED = '@1796169600';

/**
 * The first paths of two routes, which put the id first (`{id}/deliveries`) and so made
 * `/api/notifications/user/deliveries` ambiguous with the inbox of a user called "deliveries".
 * They keep working from this controller, registered after every other one of the module so each
 * literal route wins, and stay out of the document; their answers (errors too) carry Deprecation
 * (RFC 9745) and a Link to the new path.
 */
@ApiExcludeController()
@EngageController('api/notifications')
export class NotificationLegacyController {
  constructor(
    private readonly notifications: NotificationService,
    private readonly redelivery: RedeliveryService,
  ) {}

  @Get(':notification_id/deliveries')
  async deliveries(
    @Param() params: NotificationIdParamDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<DeliveriesResponseDto> {
    markDeprecated(response, `/api/notifications/deliveries/${params.notification_id}`);
    const { notification, deliveries } = await this.notifications.deliveries(params.notification_id);
    return { success: true, notification_id: notification.id, status: notification.status, deliveries: deliveries.map(toDeliveryDto) };
  }

  @Post(':notification_id/retry')
  @HttpCode(HttpStatus.OK)
  async retry(@Param() params: NotificationIdParamDto, @Res({ passthrough: true }) response: Response): Promise<RetryResponseDto> {
    markDeprecated(response, `/api/notifications/retry/${params.notification_id}`);
    await this.redelivery.retry(params.notification_id);
    return { success: true, retried: 1, notification_ids: [params.notification_id] };
  }
}

function markDeprecated(response: Response, successor: string): void {
  response.setHeader('Deprecation', OLD_PATHS_DEPRECATED);
  response.setHeader('Link', `<${successor}>; rel="successor-version"`);
}
