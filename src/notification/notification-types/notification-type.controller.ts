import { EngageController } from '../../auth/engage-controller.decorator';
import { Body, Delete, Get, HttpStatus, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import {
  DeleteNotificationTypeResponseDto,
  NotificationTypeListResponseDto,
  NotificationTypeParamDto,
  NotificationTypeResponseDto,
  PutNotificationTypeDto,
  toNotificationTypeDto,
} from '../dto/notification-type.dto';
import { NotificationTypeService } from './notification-type.service';

/** The notification type registry (admin keys only: it decides what users may turn off). */
@ApiTags('notification types')
@EngageController('api/notifications/types')
export class NotificationTypeController {
  constructor(private readonly types: NotificationTypeService) {}

  /** Registers a type or replaces its entry: its default, whether it is required, its label, description and category. */
  @Put(':type')
  @ApiOperation({ summary: 'Register or replace a notification type' })
  @ApiOkResponse({ type: NotificationTypeResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async put(@Param() params: NotificationTypeParamDto, @Body() dto: PutNotificationTypeDto): Promise<NotificationTypeResponseDto> {
    return { success: true, type: toNotificationTypeDto(await this.types.put(params.type, dto)) };
  }

  @Get()
  @ApiOperation({ summary: 'List the registered notification types' })
  @ApiOkResponse({ type: NotificationTypeListResponseDto })
  async list(): Promise<NotificationTypeListResponseDto> {
    return { success: true, types: (await this.types.list()).map(toNotificationTypeDto) };
  }

  @Get(':type')
  @ApiOperation({ summary: 'Get a notification type' })
  @ApiOkResponse({ type: NotificationTypeResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND)
  async get(@Param() params: NotificationTypeParamDto): Promise<NotificationTypeResponseDto> {
    return { success: true, type: toNotificationTypeDto(await this.types.get(params.type)) };
  }

  /** Removes a type from the registry; users' preferences for it stay. */
  @Delete(':type')
  @ApiOperation({ summary: 'Delete a notification type' })
  @ApiOkResponse({ type: DeleteNotificationTypeResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND)
  async remove(@Param() params: NotificationTypeParamDto): Promise<DeleteNotificationTypeResponseDto> {
    await this.types.remove(params.type);
    return { success: true };
  }
}
