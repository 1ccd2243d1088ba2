import { Body, Controller, HttpStatus, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Scopes, UserScoped } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { Client } from '../common/http/client-info.decorator';
import type { ClientInfo } from '../common/http/client-info.decorator';
import { ActivityService } from './activity.service';
import { TrackActivityDto, TrackActivityResponseDto } from './dto/activity.dto';

@ApiTags('activity')
@Controller('api/activity')
export class ActivityController {
  constructor(private readonly activities: ActivityService) {}

  /** Records one activity of a user; counts it in its session and the user's analytics. */
  @Post('track')
  @Scopes('track')
  @UserScoped({ body: 'user_id' })
  @ApiOperation({ summary: 'Track a user activity' })
  @ApiCreatedResponse({ type: TrackActivityResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND, HttpStatus.PAYLOAD_TOO_LARGE)
  async track(@Body() dto: TrackActivityDto, @Client() client: ClientInfo): Promise<TrackActivityResponseDto> {
    const activity = await this.activities.track(dto, client);
    return { success: true, activity_id: activity.id };
  }
}
