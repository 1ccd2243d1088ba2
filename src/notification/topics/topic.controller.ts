import { Body, Delete, Get, HttpCode, HttpStatus, Param, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { EngageController } from '../../auth/engage-controller.decorator';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import {
  TopicChangeResponseDto,
  TopicKeyParamDto,
  TopicSubscribersDto,
  TopicSubscribersQueryDto,
  TopicSubscribersResponseDto,
} from '../dto/topic.dto';
import { TopicService } from './topic.service';

/** Topics and their subscribers (admin keys only): `POST /api/notifications/fan-out` with `topic` sends to all of them. */
@ApiTags('topics')
@EngageController('api/topics')
export class TopicController {
  constructor(private readonly topics: TopicService) {}

  /** Subscribes users to the topic (creating it); those already subscribed stay as they were. */
  @Put(':key/subscribers')
  @ApiOperation({ summary: 'Subscribe users to a topic' })
  @ApiOkResponse({ type: TopicChangeResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async subscribe(@Param() params: TopicKeyParamDto, @Body() dto: TopicSubscribersDto): Promise<TopicChangeResponseDto> {
    return { success: true, key: params.key, ...(await this.topics.subscribe(params.key, dto.user_ids)) };
  }

  /** Unsubscribes the given users. */
  @Delete(':key/subscribers')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Unsubscribe users from a topic' })
  @ApiOkResponse({ type: TopicChangeResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async unsubscribe(@Param() params: TopicKeyParamDto, @Body() dto: TopicSubscribersDto): Promise<TopicChangeResponseDto> {
    return { success: true, key: params.key, ...(await this.topics.unsubscribe(params.key, dto.user_ids)) };
  }

  /** The topic's subscribers, in user id order, with keyset pagination. */
  @Get(':key/subscribers')
  @ApiOperation({ summary: 'List a topic’s subscribers' })
  @ApiOkResponse({ type: TopicSubscribersResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async subscribers(@Param() params: TopicKeyParamDto, @Query() query: TopicSubscribersQueryDto): Promise<TopicSubscribersResponseDto> {
    const page = await this.topics.subscribers(params.key, query.cursor, query.limit);
    return { success: true, key: params.key, user_ids: page.userIds, next_cursor: page.nextCursor };
  }

  /** Unsubscribes everyone. */
  @Delete(':key')
  @ApiOperation({ summary: 'Delete a topic' })
  @ApiOkResponse({ type: TopicChangeResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async delete(@Param() params: TopicKeyParamDto): Promise<TopicChangeResponseDto> {
    return { success: true, key: params.key, ...(await this.topics.delete(params.key)) };
  }
}
