import { Body, Controller, Get, HttpCode, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, UserScoped } from '../auth/auth.decorators';
import { ownerOf } from '../auth/principal';
import type { Principal } from '../auth/principal';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { UserIdParamDto } from '../common/http/user-id-param.dto';
import {
  InboxQueryDto,
  InboxResponseDto,
  MarkReadResponseDto,
  NotificationIdParamDto,
  SendNotificationDto,
  SendNotificationResponseDto,
  toNotificationDto,
} from './dto/notification.dto';
import { NotificationService } from './notification.service';

@ApiTags('notifications')
@Controller('api/notifications')
export class NotificationController {
  constructor(private readonly notifications: NotificationService) {}

  /** Sends a notification, literal or from a template; 200 with status "suppressed" when preferences rule it out. */
  @Post('send')
  @ApiOperation({ summary: 'Send a notification' })
  @ApiCreatedResponse({ type: SendNotificationResponseDto, description: 'Stored (and, for in_app, delivered)' })
  @ApiOkResponse({ type: SendNotificationResponseDto, description: 'Suppressed by the user’s preferences' })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND, HttpStatus.PAYLOAD_TOO_LARGE)
  async send(
    @Body() dto: SendNotificationDto,
    @Res({ passthrough: true }) response: Response,
  ): Promise<SendNotificationResponseDto> {
    const result = await this.notifications.send(dto);
    if (result.notification === null) {
      response.status(HttpStatus.OK);
      return { success: true, notification_id: null, status: result.status, reason: result.reason };
    }
    return { success: true, notification_id: result.notification.id, status: result.status };
  }

  /** A user's notifications, newest first, with keyset pagination. */
  @Get('user/:user_id')
  @UserScoped({ param: 'user_id' })
  @ApiOperation({ summary: 'Get a user’s notifications' })
  @ApiOkResponse({ type: InboxResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async inbox(@Param() params: UserIdParamDto, @Query() query: InboxQueryDto): Promise<InboxResponseDto> {
    const page = await this.notifications.inbox(params.user_id, query);
    return {
      success: true,
      notifications: page.notifications.map(toNotificationDto),
      unread_count: page.unreadCount,
      next_cursor: page.nextCursor,
    };
  }

  /** Marks a notification read; marking it again keeps the first read_at. */
  @Post('read/:notification_id')
  @HttpCode(HttpStatus.OK)
  @UserScoped({ owned: true })
  @ApiOperation({ summary: 'Mark a notification as read' })
  @ApiOkResponse({ type: MarkReadResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND)
  async markRead(
    @Param() params: NotificationIdParamDto,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<MarkReadResponseDto> {
    const notification = await this.notifications.markRead(params.notification_id, ownerOf(principal));
    return { success: true, notification: toNotificationDto(notification) };
  }
}
