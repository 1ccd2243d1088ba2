import { EngageController } from '../../auth/engage-controller.decorator';
import { Body, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import {
  FunnelDto,
  FunnelResponseDto,
  OverviewQueryDto,
  OverviewResponseDto,
  RetentionQueryDto,
  RetentionResponseDto,
} from '../dto/insights.dto';
import { InsightsService } from './insights.service';

/** App-wide analytics (admin keys only). */
@ApiTags('analytics')
@EngageController('api/analytics')
export class InsightsController {
  constructor(private readonly insights: InsightsService) {}

  /** Active users, events, sessions and top types and pages over a range, by day or week. */
  @Get('overview')
  @ApiOperation({ summary: 'App-wide overview' })
  @ApiOkResponse({ type: OverviewResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async overview(@Query() query: OverviewQueryDto): Promise<OverviewResponseDto> {
    return { success: true, ...(await this.insights.overview(query)) };
  }

  /** Users reaching each step in order within a time window, and the conversion between steps. */
  @Post('funnel')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Funnel' })
  @ApiOkResponse({ type: FunnelResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async funnel(@Body() dto: FunnelDto): Promise<FunnelResponseDto> {
    return { success: true, ...(await this.insights.funnel(dto)) };
  }

  /** Cohorts by first active week (or day) and how many came back in each period after. */
  @Get('retention')
  @ApiOperation({ summary: 'Retention cohorts' })
  @ApiOkResponse({ type: RetentionResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async retention(@Query() query: RetentionQueryDto): Promise<RetentionResponseDto> {
    return { success: true, ...(await this.insights.retention(query)) };
  }
}
