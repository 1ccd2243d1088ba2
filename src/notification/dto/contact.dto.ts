import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUrl, Matches, MaxLength, ValidateBy } from 'class-validator';
import { E164 } from '../../common/validation/e164';
import { isSingleMailbox } from '../../common/validation/single-mailbox';

/** One plain email address (see isSingleMailbox). */
const IsSingleMailbox = () =>
  ValidateBy({
    name: 'isSingleMailbox',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isSingleMailbox(value),
      defaultMessage: () => 'email must be one email address',
    },
  });
import type { UserContact } from '../entities/user-contact.entity';

/** PUT /api/users/{user_id}/contact: where the user can be reached; omitted fields are cleared. */
export class UpsertContactDto {
  /** @example "ada@example.com" */
  @IsOptional()
  @IsString()
  @IsSingleMailbox()
  @ApiPropertyOptional({ format: 'email' })
  email?: string;

  /** E.164 phone number. @example "+447700900123" */
  @IsOptional()
  @Matches(E164, { message: 'phone must be an E.164 number such as +447700900123' })
  @ApiPropertyOptional({ pattern: E164.source })
  phone?: string;

  /** @example "https://hooks.slack.com/services/T000/B000/XXXX" */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  @MaxLength(2048)
  @ApiPropertyOptional({ format: 'uri' })
  slack_webhook_url?: string;

  /** @example "https://example.com/engage-hook" */
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_protocol: true })
  @MaxLength(2048)
  @ApiPropertyOptional({ format: 'uri' })
  webhook_url?: string;

  /** BCP 47 language tag. @example "en-GB" */
  @IsOptional()
  @Matches(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'locale must be a BCP 47 tag such as en-GB' })
  @MaxLength(35)
  locale?: string;

  /** IANA time zone. @example "Europe/London" */
  @IsOptional()
  @IsString()
  @MaxLength(64)
  timezone?: string;
}

export class ContactDto {
  /** @example "user123" */
  user_id: string;
  email: string | null;
  phone: string | null;
  slack_webhook_url: string | null;
  webhook_url: string | null;
  locale: string | null;
  timezone: string | null;
  /** @example "2026-11-26T09:00:00.000Z" */
  updated_at: string;
}

export class ContactResponseDto {
  /** @example true */
  success: boolean;
  contact: ContactDto;
}

export function toContactDto(contact: UserContact): ContactDto {
  return {
    user_id: contact.userId,
    email: contact.email,
    phone: contact.phone,
    slack_webhook_url: contact.slackWebhookUrl,
    webhook_url: contact.webhookUrl,
    locale: contact.locale,
    timezone: contact.timezone,
    updated_at: contact.updatedAt.toISOString(),
  };
}
