import type { ApiErrorDetail } from '../../common/api-error';
import type { JsonObject } from '../../common/json';
import type { OutboundPolicy } from '../../common/outbound/outbound-policy';
import { E164 } from '../../common/validation/e164';
import { isSingleMailbox } from '../../common/validation/single-mailbox';
import type { UserContact } from '../entities/user-contact.entity';

/** A string from a send's data, when it is one. */
function fromData(data: JsonObject | null, key: string): string | null {
  const value = data?.[key];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** data.email wins over the contact record, so a send can target an address once. */
export function recipientEmail(data: JsonObject | null, contact: UserContact | null): string | null {
  return fromData(data, 'email') ?? contact?.email ?? null;
}

export function recipientPhone(data: JsonObject | null, contact: UserContact | null): string | null {
  return fromData(data, 'phone') ?? contact?.phone ?? null;
}

export function recipientSlackUrl(data: JsonObject | null, contact: UserContact | null): string | null {
  return fromData(data, 'slack_webhook_url') ?? contact?.slackWebhookUrl ?? null;
}

/** The recipient hint of a channel whose address comes from data or the contact record. */
export function contactHint(what: string, field: string): string {
  return `${what}: pass data.${field} or set ${field} with PUT /api/users/{user_id}/contact`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * What is wrong with the recipient fields of a send's `data`, which override the contact record:
 * `email` one address (no list, no CR/LF: it becomes an SMTP header), `phone` E.164, and
 * `slack_webhook_url` a URL the outbound policy allows.
 */
export function recipientDataErrors(data: JsonObject | null | undefined, policy: OutboundPolicy): ApiErrorDetail[] {
  const errors: ApiErrorDetail[] = [];
  const email = data?.email;
  if (email !== undefined && email !== null && (typeof email !== 'string' || !isSingleMailbox(email))) {
    errors.push({ field: 'data.email', messages: ['data.email must be one email address'] });
  }
  const phone = data?.phone;
  if (phone !== undefined && phone !== null && (typeof phone !== 'string' || !E164.test(phone))) {
    errors.push({ field: 'data.phone', messages: ['data.phone must be an E.164 number such as +447700900123'] });
  }
  errors.push(...policy.fieldErrors('data.slack_webhook_url', data?.slack_webhook_url));
  return errors;
}
