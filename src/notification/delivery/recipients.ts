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
