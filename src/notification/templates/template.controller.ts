import { EngageController } from '../../auth/engage-controller.decorator';
import { Body, Delete, Get, HttpStatus, Param, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorResponses } from '../../common/http/api-error-responses.decorator';
import {
  CreateTemplateDto,
  DeleteTemplateResponseDto,
  TemplateListResponseDto,
  TemplateNameParamDto,
  TemplateResponseDto,
  toTemplateDto,
  UpdateTemplateDto,
} from '../dto/template.dto';
import { TemplateService } from './template.service';

@ApiTags('templates')
@EngageController('api/notifications/templates')
export class TemplateController {
  constructor(private readonly templates: TemplateService) {}

  /** Stores a new template; its Handlebars syntax is checked now, not at send time. */
  @Post()
  @ApiOperation({ summary: 'Create a template' })
  @ApiCreatedResponse({ type: TemplateResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.CONFLICT)
  async create(@Body() dto: CreateTemplateDto): Promise<TemplateResponseDto> {
    return { success: true, template: toTemplateDto(await this.templates.create(dto)) };
  }

  @Get()
  @ApiOperation({ summary: 'List templates' })
  @ApiOkResponse({ type: TemplateListResponseDto })
  async list(): Promise<TemplateListResponseDto> {
    return { success: true, templates: (await this.templates.list()).map(toTemplateDto) };
  }

  @Get(':name')
  @ApiOperation({ summary: 'Get a template' })
  @ApiOkResponse({ type: TemplateResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND)
  async get(@Param() params: TemplateNameParamDto): Promise<TemplateResponseDto> {
    return { success: true, template: toTemplateDto(await this.templates.get(params.name)) };
  }

  /** Changes the given fields of a template. */
  @Put(':name')
  @ApiOperation({ summary: 'Update a template' })
  @ApiOkResponse({ type: TemplateResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND, HttpStatus.CONFLICT)
  async update(@Param() params: TemplateNameParamDto, @Body() dto: UpdateTemplateDto): Promise<TemplateResponseDto> {
    return { success: true, template: toTemplateDto(await this.templates.update(params.name, dto)) };
  }

  @Delete(':name')
  @ApiOperation({ summary: 'Delete a template' })
  @ApiOkResponse({ type: DeleteTemplateResponseDto })
  @ApiErrorResponses(HttpStatus.BAD_REQUEST, HttpStatus.NOT_FOUND)
  async remove(@Param() params: TemplateNameParamDto): Promise<DeleteTemplateResponseDto> {
    await this.templates.remove(params.name);
    return { success: true };
  }
}
