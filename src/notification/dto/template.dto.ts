import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import type { JsonObject } from '../../common/json';
import { ArrayMaxSize, ArrayUnique, IsArray, IsBoolean, IsOptional, IsString, Length, Matches } from 'class-validator';
import { IsPlainObject } from '../../common/validation/is-plain-object.decorator';
import { MaxJsonSize } from '../../common/validation/max-json-size.decorator';
import { NoControlChars } from '../../common/validation/no-control-chars.decorator';
import { Nullable } from '../../common/validation/nullable.decorator';
import { IsChannelName } from '../delivery/channel-name';
import { NOTIFICATION_CHANNELS, type NotificationChannel } from '../entities/notification.entity';
import type { NotificationTemplate } from '../entities/notification-template.entity';
import { TEMPLATE_NAME_PATTERN } from './notification.dto';

/** More channels than Engage has built in, for a host that registers its own. */
const MAX_TEMPLATE_CHANNELS = 20;

/** POST /api/notifications/templates. */
export class CreateTemplateDto {
  /** Unique name, used in URLs and in sends. @example "welcome" */
  @IsString()
  @Length(1, 100)
  @Matches(TEMPLATE_NAME_PATTERN, { message: 'name must contain only letters, digits, "_", "." and "-"' })
  @ApiProperty({ pattern: TEMPLATE_NAME_PATTERN.source })
  name: string;

  /** Handlebars template of the title. @example "Welcome {{user_name}}!" */
  @IsString()
  @Length(1, 1000)
  title_template: string;

  /** Handlebars template of the body. @example "Hi {{user_name}}, thanks for joining {{app_name}}." */
  @IsString()
  @Length(1, 20000)
  message_template: string;

  /**
   * Channels this template may be sent on (built in, or registered by the host app); empty means
   * any. The first is the default.
   * @example ["in_app", "email"]
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TEMPLATE_CHANNELS)
  @ArrayUnique()
  @IsChannelName({ each: true })
  @ApiPropertyOptional({ enum: NOTIFICATION_CHANNELS, isArray: true })
  channels?: NotificationChannel[];

  /** Used as the notification_type of messages sent with this template. @example "onboarding" */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @NoControlChars()
  category?: string;

  /**
   * Whether users get this template's type (its category, else its name) where they have stored
   * nothing about it and the type registry has no entry for it (an entry there wins). Left out:
   * enabled, as for any type; a PUT of null clears it.
   * @example true
   */
  @IsOptional()
  @IsBoolean()
  default_enabled?: boolean;

  /** A description of the data the template expects (JSON Schema recommended), up to 16 KiB. */
  @IsOptional()
  @IsPlainObject()
  @MaxJsonSize(16 * 1024)
  data_schema?: JsonObject;
}

/** PUT /api/notifications/templates/{name}: the fields to change (default_enabled null: clear it). */
export class UpdateTemplateDto extends PartialType(OmitType(CreateTemplateDto, ['default_enabled'] as const)) {
  /** Whether users get the template's type where nothing else decides; null clears it (enabled). @example false */
  @IsOptional()
  @Nullable()
  @IsBoolean()
  @ApiPropertyOptional({ type: Boolean, nullable: true })
  default_enabled?: boolean | null;
}

export class TemplateNameParamDto {
  /** @example "welcome" */
  @IsString()
  @Length(1, 100)
  @Matches(TEMPLATE_NAME_PATTERN, { message: 'name must contain only letters, digits, "_", "." and "-"' })
  @ApiProperty({ pattern: TEMPLATE_NAME_PATTERN.source })
  name: string;
}

export class TemplateDto {
  id: string;
  /** @example "welcome" */
  name: string;
  /** @example "Welcome {{user_name}}!" */
  title_template: string;
  /** @example "Hi {{user_name}}, thanks for joining {{app_name}}." */
  message_template: string;
  /** @example ["in_app", "email"] */
  channels: NotificationChannel[];
  /** @example "onboarding" */
  category: string | null;
  /** The type's default when the registry has none; null: enabled. @example null */
  default_enabled: boolean | null;
  data_schema: JsonObject | null;
  /** @example "2026-11-26T09:00:00.000Z" */
  created_at: string;
  /** @example "2026-11-26T09:00:00.000Z" */
  updated_at: string;
}

export class TemplateResponseDto {
  /** @example true */
  success: boolean;
  template: TemplateDto;
}

export class TemplateListResponseDto {
  /** @example true */
  success: boolean;
  templates: TemplateDto[];
}

export class DeleteTemplateResponseDto {
  /** @example true */
  success: boolean;
}

export function toTemplateDto(template: NotificationTemplate): TemplateDto {
  return {
    id: template.id,
    name: template.name,
    title_template: template.titleTemplate,
    message_template: template.messageTemplate,
    channels: template.channels,
    category: template.category,
    default_enabled: template.defaultEnabled,
    data_schema: template.dataSchema,
    created_at: template.createdAt.toISOString(),
    updated_at: template.updatedAt.toISOString(),
  };
}
