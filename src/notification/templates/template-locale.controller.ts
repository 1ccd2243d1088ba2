import { EngageController } from '../../auth/engage-controller.decorator';
import { Body, Delete, Get, HttpStatus, Param, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import {
  DeleteTemplateLocaleResponseDto,
  PutTemplateLocaleDto,
  TemplateLocaleListResponseDto,
  TemplateLocaleParamDto,
  TemplateLocaleResponseDto,
  toTemplateLocaleDto,
} from '../dto/template-locale.dto';
import { TemplateNameParamDto } from '../dto/template.dto';
import { TemplateService } from './template.service';

/**
 * A template's per-locale variants (admin keys only, like templates). A send renders the variant
 * of its `locale`, else of the user's contact locale, falling back `pt-BR` → `pt` → the template.
 */
@ApiTags('templates')
@EngageController('api/notifications/templates')
export class TemplateLocaleController {
  constructor(private readonly templates: TemplateService) {}

  /** Sets the template's title and body in one locale, replacing what that locale had; its Handlebars syntax is checked now. */
  @Put(':name/locales/:locale')
  @ApiOperation({ summary: 'Set a template’s text in one locale' })
  @ApiOkResponse({ type: TemplateLocaleResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT)
  async put(@Param() params: TemplateLocaleParamDto, @Body() dto: PutTemplateLocaleDto): Promise<TemplateLocaleResponseDto> {
    return { success: true, variant: toTemplateLocaleDto(await this.templates.putLocale(params.name, params.locale, dto)) };
  }

  @Get(':name/locales')
  @ApiOperation({ summary: 'List a template’s locale variants' })
  @ApiOkResponse({ type: TemplateLocaleListResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND)
  async list(@Param() params: TemplateNameParamDto): Promise<TemplateLocaleListResponseDto> {
    return { success: true, variants: (await this.templates.listLocales(params.name)).map(toTemplateLocaleDto) };
  }

  /** Removes one variant; sends in that locale fall back along the chain. */
  @Delete(':name/locales/:locale')
  @ApiOperation({ summary: 'Delete a template’s locale variant' })
  @ApiOkResponse({ type: DeleteTemplateLocaleResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND)
  async remove(@Param() params: TemplateLocaleParamDto): Promise<DeleteTemplateLocaleResponseDto> {
    await this.templates.removeLocale(params.name, params.locale);
    return { success: true };
  }
}
