import { Body, Delete, Get, HttpCode, HttpStatus, Param, Post, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UserScoped } from '../../auth/auth.decorators';
import { EngageController } from '../../auth/engage-controller.decorator';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import { UserIdParamDto } from '../../common/http/user-id-param.dto';
import { PauseDto, PutScheduleDto, ScheduleResponseDto, toScheduleDto } from '../dto/schedule.dto';
import { ScheduleService } from './schedule.service';

/** A user's quiet hours and pause (do not disturb); a user token reaches its own. */
@ApiTags('preferences')
@EngageController('api/notifications/preferences')
export class ScheduleController {
  constructor(private readonly schedules: ScheduleService) {}

  @Get(':user_id/schedule')
  @UserScoped({ param: 'user_id' })
  @ApiOperation({ summary: 'Get a user’s quiet hours and pause' })
  @ApiOkResponse({ type: ScheduleResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async get(@Param() params: UserIdParamDto): Promise<ScheduleResponseDto> {
    return { success: true, schedule: toScheduleDto(await this.schedules.view(params.user_id)) };
  }

  /** Replaces the quiet hours; non-urgent email, SMS and push due inside them wait for their end. */
  @Put(':user_id/schedule')
  @UserScoped({ param: 'user_id' })
  @ApiOperation({ summary: 'Set a user’s quiet hours' })
  @ApiOkResponse({ type: ScheduleResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async put(@Param() params: UserIdParamDto, @Body() dto: PutScheduleDto): Promise<ScheduleResponseDto> {
    return { success: true, schedule: toScheduleDto(await this.schedules.put(params.user_id, dto)) };
  }

  /** Do not disturb: for some minutes, until a time, or until tomorrow morning. */
  @Post(':user_id/pause')
  @HttpCode(HttpStatus.OK)
  @UserScoped({ param: 'user_id' })
  @ApiOperation({ summary: 'Pause a user’s notifications' })
  @ApiOkResponse({ type: ScheduleResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async pause(@Param() params: UserIdParamDto, @Body() dto: PauseDto): Promise<ScheduleResponseDto> {
    return { success: true, schedule: toScheduleDto(await this.schedules.pause(params.user_id, dto)) };
  }

  /** Ends a pause now; what it held goes out. */
  @Delete(':user_id/pause')
  @UserScoped({ param: 'user_id' })
  @ApiOperation({ summary: 'End a user’s pause' })
  @ApiOkResponse({ type: ScheduleResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async resume(@Param() params: UserIdParamDto): Promise<ScheduleResponseDto> {
    return { success: true, schedule: toScheduleDto(await this.schedules.resume(params.user_id)) };
  }
}
