import { EngageController } from '../../auth/engage-controller.decorator';
import { Body, Get, HttpCode, HttpStatus, Param, Post, Put, Query } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { UserScoped } from '../../auth/auth.decorators';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import {
  EffectivePreferenceParamDto,
  EffectivePreferenceResponseDto,
  PreferenceListResponseDto,
  PreferenceMatrixResponseDto,
  PreferenceResponseDto,
  PreferenceUserParamDto,
  PreferenceViewQueryDto,
  toPreferenceDto,
  toPreferenceMatrixDto,
  UpdatePreferenceMatrixDto,
  UpsertPreferenceDto,
} from '../dto/preference.dto';
import { PreferenceService } from './preference.service';

@ApiTags('preferences')
@EngageController('api/notifications/preferences')
export class PreferenceController {
  constructor(private readonly preferences: PreferenceService) {}

  /** Creates or updates one preference (`*` as type or channel means all); a required type cannot be disabled. */
  @Post()
  @UserScoped({ body: 'user_id' })
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Set a notification preference' })
  @ApiOkResponse({ type: PreferenceResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async upsert(@Body() dto: UpsertPreferenceDto): Promise<PreferenceResponseDto> {
    return { success: true, preference: toPreferenceDto(await this.preferences.upsert(dto)) };
  }

  /** Every preference the user has stored; with `view=matrix`, every known type × channel as a settings screen shows it. */
  @Get(':user_id')
  @UserScoped({ param: 'user_id' })
  @ApiOperation({ summary: 'List a user’s preferences, or their matrix of effective values' })
  @ApiExtraModels(PreferenceListResponseDto, PreferenceMatrixResponseDto)
  @ApiOkResponse({
    description: 'The stored preferences (no view, or view=list), or the matrix (view=matrix)',
    schema: { oneOf: [{ $ref: getSchemaPath(PreferenceListResponseDto) }, { $ref: getSchemaPath(PreferenceMatrixResponseDto) }] },
  })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async list(
    @Param() params: PreferenceUserParamDto,
    @Query() query: PreferenceViewQueryDto,
  ): Promise<PreferenceListResponseDto | PreferenceMatrixResponseDto> {
    if (query.view === 'matrix') return toPreferenceMatrixDto(await this.preferences.matrix(params.user_id));
    const preferences = await this.preferences.listForUser(params.user_id);
    return { success: true, preferences: preferences.map(toPreferenceDto) };
  }

  /** Sets many cells of the matrix in one transaction: all of them, or none with a 400 naming each bad cells[i] field. */
  @Put(':user_id')
  @UserScoped({ param: 'user_id' })
  @ApiOperation({ summary: 'Set many preferences at once' })
  @ApiOkResponse({ type: PreferenceMatrixResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST)
  async updateMatrix(
    @Param() params: PreferenceUserParamDto,
    @Body() dto: UpdatePreferenceMatrixDto,
  ): Promise<PreferenceMatrixResponseDto> {
    return toPreferenceMatrixDto(await this.preferences.updateMatrix(params.user_id, dto.cells, dto.digests));
  }

  /** Whether this type would be sent on this channel, and the level that decided (see the precedence in the README). */
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
        source: resolved.source,
        required: resolved.required,
        matched: resolved.matched ? { notification_type: resolved.matched.notificationType, channel: resolved.matched.channel } : null,
      },
    };
  }
}
