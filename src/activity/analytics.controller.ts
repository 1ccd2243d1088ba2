import { EngageController } from '../auth/engage-controller.decorator';
import { Get, HttpStatus, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UserScoped } from '../auth/auth.decorators';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator';
import { AnalyticsService } from './analytics.service';
import { UserIdParamDto } from '../common/http/user-id-param.dto';
import { toUserAnalyticsDto, UserAnalyticsResponseDto } from './dto/analytics.dto';

@ApiTags('analytics')
@EngageController('api/analytics')
export class AnalyticsController {
  constructor(private readonly analytics: AnalyticsService) {}

  /** A user's aggregates, kept current as activities and sessions arrive; zeros for an unknown user. */
  @Get('user/:user_id')
  @UserScoped({ param: 'user_id' })
  @ApiOperation({ summary: 'Get user analytics' })
  @ApiOkResponse({ type: UserAnalyticsResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async getUserAnalytics(@Param() params: UserIdParamDto): Promise<UserAnalyticsResponseDto> {
    const analytics = await this.analytics.getUserAnalytics(params.user_id);
    return { success: true, analytics: toUserAnalyticsDto(analytics) };
  }
}
