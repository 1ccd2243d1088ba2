import { EngageController } from '../../auth/engage-controller.decorator';
import { Body, Get, HttpCode, HttpStatus, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UserScoped } from '../../auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import {
  EffectivePreferenceParamDto,
  EffectivePreferenceResponseDto,
  PreferenceListResponseDto,
  PreferenceResponseDto,
  PreferenceUserParamDto,
  toPreferenceDto,
  UpsertPreferenceDto,
} from '../dto/preference.dto';
import { PreferenceService } from './preference.service';

@ApiTags('preferences')
@EngageController('api/notifications/preferences')
export class PreferenceController {
  constructor(private readonly preferences: PreferenceService) {}

  /** Creates or updates one preference (`*` as type or channel means all). */
  @Post()
  @UserScoped({ body: 'user_id' })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Set a notification preference' })
  @ApiOkResponse({ type: PreferenceResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async upsert(@Body() dto: UpsertPreferenceDto): Promise<PreferenceResponseDto> {
    return { success: true, preference: toPreferenceDto(await this.preferences.upsert(dto)) };
  }

  /** Every preference the user has stored. */
  @Get(':user_id')
  @UserScoped({ param: 'user_id' })
  @ApiOperation({ summary: 'List a user’s preferences' })
  @ApiOkResponse({ type: PreferenceListResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async list(@Param() params: PreferenceUserParamDto): Promise<PreferenceListResponseDto> {
    const preferences = await this.preferences.listForUser(params.user_id);
    return { success: true, preferences: preferences.map(toPreferenceDto) };
  }

  /** Whether this type would be sent on this channel, after wildcards and the default (enabled). */
  @Get(':user_id/:notification_type/:channel')
  @UserScoped({ param: 'user_id' })
  @ApiOperation({ summary: 'Get the effective preference for a type and channel' })
  @ApiOkResponse({ type: EffectivePreferenceResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async effective(@Param() params: EffectivePreferenceParamDto): Promise<EffectivePreferenceResponseDto> {
    const resolved = await this.preferences.resolve(params.user_id, params.notification_type, params.channel);
    return {
      success: true,
      preference: {
        user_id: params.user_id,
        notification_type: params.notification_type,
        channel: params.channel,
        enabled: resolved.enabled,
        matched: resolved.matched ? { notification_type: resolved.matched.notificationType, channel: resolved.matched.channel } : null,
      },
    };
  }
}
