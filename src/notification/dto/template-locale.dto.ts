import { ApiProperty, PickType } from '@nestjs/swagger';
import type { NotificationTemplateLocale } from '../entities/notification-template-locale.entity';
import { IsLocaleTag, LOCALE_TAG_PATTERN, MAX_LOCALE_TAG_LENGTH } from '../templates/locale-tag';
import { CreateTemplateDto, TemplateNameParamDto } from './template.dto';

/** `{name}` and `{locale}` of /api/notifications/templates/{name}/locales/{locale}. */
export class TemplateLocaleParamDto extends TemplateNameParamDto {
  /** BCP 47 language tag; stored in its canonical form (`pt-br` → `pt-BR`). @example "pt-BR" */
  @IsLocaleTag()
  @ApiProperty({ pattern: LOCALE_TAG_PATTERN.source, maxLength: MAX_LOCALE_TAG_LENGTH })
  locale: string;
}

/**
 * PUT /api/notifications/templates/{name}/locales/{locale}: the template's title and body in
 * that locale, with the same bounds and Handlebars syntax as the template's own.
 */
export class PutTemplateLocaleDto extends PickType(CreateTemplateDto, ['title_template', 'message_template'] as const) {}

export class TemplateLocaleDto {
  /** The canonical BCP 47 tag. @example "pt-BR" */
  locale: string;
  /** @example "Bem-vindo, {{user_name}}!" */
  title_template: string;
  /** @example "Olá {{user_name}}, obrigado por entrar no {{app_name}}." */
  message_template: string;
  /** @example "2026-11-26T09:00:00.000Z" */
  created_at: string;
  /** @example "2026-11-26T09:00:00.000Z" */
  updated_at: string;
}

export class TemplateLocaleResponseDto {
  /** @example true */
  success: boolean;
  variant: TemplateLocaleDto;
}

export class TemplateLocaleListResponseDto {
  /** @example true */
  success: boolean;
  /** The template's variants in locale order (at most 200). */
  variants: TemplateLocaleDto[];
}

export class DeleteTemplateLocaleResponseDto {
  /** @example true */
  success: boolean;
}

export function toTemplateLocaleDto(variant: NotificationTemplateLocale): TemplateLocaleDto {
  return {
    locale: variant.locale,
    title_template: variant.titleTemplate,
    message_template: variant.messageTemplate,
    created_at: variant.createdAt.toISOString(),
    updated_at: variant.updatedAt.toISOString(),
  };
}
