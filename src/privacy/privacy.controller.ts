import { Controller, Delete, Get, HttpStatus, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UserDataService } from '../activity/user-data.service';
import { UserScoped } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { UserIdParamDto } from '../common/http/user-id-param.dto';
import { NotificationUserDataService } from '../notification/user-data/notification-user-data.service';
import { EraseResponseDto, ExportResponseDto } from './privacy.dto';

/** Data rights: a user's data, all of it, to take away or to erase. */
@ApiTags('privacy')
@Controller('api/users')
export class PrivacyController {
  constructor(
    private readonly activityData: UserDataService,
    private readonly notificationData: NotificationUserDataService,
  ) {}

  /** Everything stored about the user, every field, times in ISO 8601 (a user token may export its own). */
  @Get(':user_id/export')
  @UserScoped({ param: 'user_id' })
  @ApiOperation({ summary: 'Export a user’s data' })
  @ApiOkResponse({ type: ExportResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async export(@Param() params: UserIdParamDto): Promise<ExportResponseDto> {
    const [activity, notification] = await Promise.all([this.activityData.export(params.user_id), this.notificationData.export(params.user_id)]);
    return { success: true, user_id: params.user_id, ...activity, ...notification };
  }

  /** Erases the user everywhere (admin keys only); app-wide rollups keep anonymous counts. */
  @Delete(':user_id')
  @ApiOperation({ summary: 'Erase a user' })
  @ApiOkResponse({ type: EraseResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async erase(@Param() params: UserIdParamDto): Promise<EraseResponseDto> {
    const notification = await this.notificationData.erase(params.user_id);
    const activity = await this.activityData.erase(params.user_id);
    return { success: true, user_id: params.user_id, deleted: { ...activity, ...notification } };
  }
}
