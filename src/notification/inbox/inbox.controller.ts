import { Body, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, UserScoped } from '../../auth/auth.decorators';
import { EngageController } from '../../auth/engage-controller.decorator';
import { ownerOf, type Principal } from '../../auth/principal';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { UserIdParamDto } from '../../common/http/user-id-param.dto';
import {
  ActionParamDto,
  InboxActionResponseDto,
  InboxBulkResponseDto,
  InboxCountsResponseDto,
  InboxDeleteResponseDto,
  ReadAllDto,
  SnoozeDto,
  toCountsDto,
} from '../dto/inbox.dto';
import { InboxQueryDto, InboxResponseDto, NotificationIdParamDto, toNotificationDto } from '../dto/notification.dto';
import { type InboxChange, InboxService } from './inbox.service';

/**
 * A user's inbox: the list, its counts, and what the user does with an item. Item routes put the
 * verb first (`read/{id}`), as the rest of the API does, so no path is ambiguous with
 * `user/{user_id}`. A user token acts only on its own notifications (another's is a 404).
 */
@ApiTags('inbox')
@EngageController('api/notifications')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  /** A user's notifications, newest first, with keyset pagination; filters narrow it, `archived`/`snoozed` show those instead. */
  @Get('user/:user_id')
  @UserScoped({ param: 'user_id' })
  @ApiOperation({ summary: 'Get a user’s notifications' })
  @ApiOkResponse({ type: InboxResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async list(@Param() params: UserIdParamDto, @Query() query: InboxQueryDto): Promise<InboxResponseDto> {
    const page = await this.inbox.list(params.user_id, query);
    return {
      success: true,
      notifications: page.notifications.map(toNotificationDto),
      unread_count: page.unreadCount,
      next_cursor: page.nextCursor,
    };
  }

  /** Total, unread and unseen in the inbox: kept as counters, one read however large the inbox. */
  @Get('user/:user_id/counts')
  @UserScoped({ param: 'user_id' })
  @ApiOperation({ summary: 'Get a user’s inbox counts' })
  @ApiOkResponse({ type: InboxCountsResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async counts(@Param() params: UserIdParamDto): Promise<InboxCountsResponseDto> {
    return { success: true, counts: toCountsDto(await this.inbox.counts(params.user_id)) };
  }

  /** Marks every unread notification read (only one type's, with `notification_type`). */
  @Post('user/:user_id/read-all')
  @HttpCode(HttpStatus.OK)
  @UserScoped({ param: 'user_id' })
  @ApiOperation({ summary: 'Mark all of a user’s notifications read' })
  @ApiOkResponse({ type: InboxBulkResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async readAll(@Param() params: UserIdParamDto, @Body() dto: ReadAllDto): Promise<InboxBulkResponseDto> {
    const change = await this.inbox.readAll(params.user_id, dto.notification_type);
    return { success: true, updated: change.updated, counts: toCountsDto(change.counts) };
  }

  /** Marks every notification seen: what opening the inbox does to the badge. */
  @Post('user/:user_id/seen-all')
  @HttpCode(HttpStatus.OK)
  @UserScoped({ param: 'user_id' })
  @ApiOperation({ summary: 'Mark all of a user’s notifications seen' })
  @ApiOkResponse({ type: InboxBulkResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async seenAll(@Param() params: UserIdParamDto): Promise<InboxBulkResponseDto> {
    const change = await this.inbox.seenAll(params.user_id);
    return { success: true, updated: change.updated, counts: toCountsDto(change.counts) };
  }

  /** Archives every read notification in the inbox. */
  @Post('user/:user_id/archive-read')
  @HttpCode(HttpStatus.OK)
  @UserScoped({ param: 'user_id' })
  @ApiOperation({ summary: 'Archive all of a user’s read notifications' })
  @ApiOkResponse({ type: InboxBulkResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async archiveRead(@Param() params: UserIdParamDto): Promise<InboxBulkResponseDto> {
    const change = await this.inbox.archiveRead(params.user_id);
    return { success: true, updated: change.updated, counts: toCountsDto(change.counts) };
  }

  /** Marks a notification read (and seen); marking it again keeps the first read_at. */
  @Post('read/:notification_id')
  @HttpCode(HttpStatus.OK)
  @UserScoped({ owned: true })
  @ApiOperation({ summary: 'Mark a notification as read' })
  @ApiOkResponse({ type: InboxActionResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND)
  async markRead(@Param() params: NotificationIdParamDto, @CurrentPrincipal() principal?: Principal): Promise<InboxActionResponseDto> {
    return answer(await this.inbox.markRead(params.notification_id, ownerOf(principal)));
  }

  @Post('unread/:notification_id')
  @HttpCode(HttpStatus.OK)
  @UserScoped({ owned: true })
  @ApiOperation({ summary: 'Mark a notification as unread' })
  @ApiOkResponse({ type: InboxActionResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND)
  async markUnread(@Param() params: NotificationIdParamDto, @CurrentPrincipal() principal?: Principal): Promise<InboxActionResponseDto> {
    return answer(await this.inbox.markUnread(params.notification_id, ownerOf(principal)));
  }

  @Post('seen/:notification_id')
  @HttpCode(HttpStatus.OK)
  @UserScoped({ owned: true })
  @ApiOperation({ summary: 'Mark a notification as seen' })
  @ApiOkResponse({ type: InboxActionResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND)
  async markSeen(@Param() params: NotificationIdParamDto, @CurrentPrincipal() principal?: Principal): Promise<InboxActionResponseDto> {
    return answer(await this.inbox.markSeen(params.notification_id, ownerOf(principal)));
  }

  @Post('archive/:notification_id')
  @HttpCode(HttpStatus.OK)
  @UserScoped({ owned: true })
  @ApiOperation({ summary: 'Archive a notification' })
  @ApiOkResponse({ type: InboxActionResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND)
  async archive(@Param() params: NotificationIdParamDto, @CurrentPrincipal() principal?: Principal): Promise<InboxActionResponseDto> {
    return answer(await this.inbox.archive(params.notification_id, ownerOf(principal)));
  }

  @Post('unarchive/:notification_id')
  @HttpCode(HttpStatus.OK)
  @UserScoped({ owned: true })
  @ApiOperation({ summary: 'Bring an archived notification back to the inbox' })
  @ApiOkResponse({ type: InboxActionResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND)
  async unarchive(@Param() params: NotificationIdParamDto, @CurrentPrincipal() principal?: Principal): Promise<InboxActionResponseDto> {
    return answer(await this.inbox.unarchive(params.notification_id, ownerOf(principal)));
  }

  /** Takes a notification out of the inbox until `until`; it then comes back unread, on top. */
  @Post('snooze/:notification_id')
  @HttpCode(HttpStatus.OK)
  @UserScoped({ owned: true })
  @ApiOperation({ summary: 'Snooze a notification' })
  @ApiOkResponse({ type: InboxActionResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND)
  async snooze(
    @Param() params: NotificationIdParamDto,
    @Body() dto: SnoozeDto,
    @CurrentPrincipal() principal?: Principal,
  ): Promise<InboxActionResponseDto> {
    return answer(await this.inbox.snooze(params.notification_id, ownerOf(principal), new Date(dto.until)));
  }

  /** Brings a snoozed notification back now. */
  @Post('unsnooze/:notification_id')
  @HttpCode(HttpStatus.OK)
  @UserScoped({ owned: true })
  @ApiOperation({ summary: 'End a notification’s snooze' })
  @ApiOkResponse({ type: InboxActionResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND)
  async unsnooze(@Param() params: NotificationIdParamDto, @CurrentPrincipal() principal?: Principal): Promise<InboxActionResponseDto> {
    return answer(await this.inbox.unsnooze(params.notification_id, ownerOf(principal)));
  }

  /** Records that the user took one of the notification's actions (shown as completed); it reads the notification too. */
  @Post('actions/:notification_id/:action_id')
  @HttpCode(HttpStatus.OK)
  @UserScoped({ owned: true })
  @ApiOperation({ summary: 'Record that an action of a notification was taken' })
  @ApiOkResponse({ type: InboxActionResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND)
  async takeAction(@Param() params: ActionParamDto, @CurrentPrincipal() principal?: Principal): Promise<InboxActionResponseDto> {
    return answer(await this.inbox.takeAction(params.notification_id, ownerOf(principal), params.action_id));
  }

  /** Deletes a notification, with its delivery records. */
  @Delete('item/:notification_id')
  @UserScoped({ owned: true })
  @ApiOperation({ summary: 'Delete a notification' })
  @ApiOkResponse({ type: InboxDeleteResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND)
  async delete(@Param() params: NotificationIdParamDto, @CurrentPrincipal() principal?: Principal): Promise<InboxDeleteResponseDto> {
    return { success: true, counts: toCountsDto(await this.inbox.delete(params.notification_id, ownerOf(principal))) };
  }
}

function answer(change: InboxChange): InboxActionResponseDto {
  return { success: true, notification: toNotificationDto(change.notification), counts: toCountsDto(change.counts) };
}
