import { IsBoolean, IsOptional, IsString, Length, NotEquals } from 'class-validator';
import { NoControlChars } from '../../common/validation/no-control-chars.decorator';
import type { NotificationType } from '../entities/notification-type.entity';

/** A `{type}` path parameter: the notification_type a send names. `*` is the preferences' wildcard, never a type. */
export class NotificationTypeParamDto {
  /** @example "security_alert" */
  @IsString()
  @Length(1, 100)
  @NoControlChars()
  @NotEquals('*', { message: 'type must not be * (the wildcard of preferences)' })
  type: string;
}

/** PUT /api/notifications/types/{type}: the whole entry; a field left out takes its default. */
export class PutNotificationTypeDto {
  /** Whether users get this type where they have stored nothing about it (default true). @example true */
  @IsOptional()
  @IsBoolean()
  default_enabled?: boolean;

  /**
   * Users cannot turn it off: disabling it is a 400 and sends go out past every preference
   * (default false). A required type cannot have default_enabled false.
   * @example true
   */
  @IsOptional()
  @IsBoolean()
  required?: boolean;

  /** Its name in a settings screen. @example "Security alerts" */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @NoControlChars()
  label?: string;

  /** One or two sentences for a settings screen. @example "Sign-ins from new devices and password changes." */
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  @NoControlChars()
  description?: string;

  /** A heading to group types under in a settings screen. @example "account" */
  @IsOptional()
  @IsString()
  @Length(1, 100)
  @NoControlChars()
  category?: string;
}

export class NotificationTypeDto {
  /** @example "security_alert" */
  notification_type: string;
  /** @example true */
  default_enabled: boolean;
  /** @example true */
  required: boolean;
  /** @example "Security alerts" */
  label: string | null;
  /** @example "Sign-ins from new devices and password changes." */
  description: string | null;
  /** @example "account" */
  category: string | null;
  /** @example "2026-11-26T09:00:00.000Z" */
  created_at: string;
  /** @example "2026-11-26T09:00:00.000Z" */
  updated_at: string;
}

export class NotificationTypeResponseDto {
  /** @example true */
  success: boolean;
  type: NotificationTypeDto;
}

export class NotificationTypeListResponseDto {
  /** @example true */
  success: boolean;
  types: NotificationTypeDto[];
}

export class DeleteNotificationTypeResponseDto {
  /** @example true */
  success: boolean;
}

export function toNotificationTypeDto(type: NotificationType): NotificationTypeDto {
  return {
    notification_type: type.notificationType,
    default_enabled: type.defaultEnabled,
    required: type.required,
    label: type.label,
    description: type.description,
    category: type.category,
    created_at: type.createdAt.toISOString(),
    updated_at: type.updatedAt.toISOString(),
  };
}
