import type { ApiErrorDetail } from '../../common/api-error';
import type { JsonObject } from '../../common/json';
import type { OutboundPolicy } from '../../common/outbound/outbound-policy';
import { E164 } from '../../common/validation/e164';
import { isSingleMailbox } from '../../common/validation/single-mailbox';
import type { Notification } from '../entities/notification.entity';
import type { UserContact } from '../entities/user-contact.entity';

/** A string from the notification's data, when it is one. */
function fromData(notification: Notification, key: string): string | null {
  const value = notification.data?.[key];
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** data.email wins over the contact record, so a send can target an address once. */
export function recipientEmail(notification: Notification, contact: UserContact | null): string | null {
  return fromData(notification, 'email') ?? contact?.email ?? null;
}

export function recipientPhone(notification: Notification, contact: UserContact | null): string | null {
  return fromData(notification, 'phone') ?? contact?.phone ?? null;
}

export function recipientSlackUrl(notification: Notification, contact: UserContact | null): string | null {
  return fromData(notification, 'slack_webhook_url') ?? contact?.slackWebhookUrl ?? null;
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
