import type { JsonObject } from '../../common/json';
import type { DeviceToken } from '../entities/device-token.entity';
import type { Notification } from '../entities/notification.entity';
import type { UserContact } from '../entities/user-contact.entity';

/**
 * How a channel shows text, so the values a template prints are escaped for it: `html` escapes
 * HTML, `markdown` backslash-escapes Markdown (CommonMark, Discord, Teams), `mrkdwn` escapes
 * Slack's `&`, `<` and `>` (no `<!channel>` or link can be injected), `text` leaves them as they are.
 * The template's own text is never escaped: its author writes it in the channel's format.
 */
export type TextFormat = 'html' | 'markdown' | 'mrkdwn' | 'text';

/**
 * Where a provider finds a user's address on its channel. Each source is read at most once per
 * send and only when asked for, so a channel that needs no device costs no device query.
 */
export interface RecipientSources {
  userId: string;
  /** The send's data: its recipient fields (data.email, data.phone, …) override the contact record. */
  data: JsonObject | null;
  contact(): Promise<UserContact | null>;
  /** The user's active devices (at delivery: those an earlier attempt has not reached yet). */
  devices(): Promise<DeviceToken[]>;
}

/** Everything a provider needs to deliver one notification. */
export interface OutboundMessage<R = unknown> {
  notification: Notification;
  /** What the provider's recipient() found, never null. */
  recipient: R;
}

export interface ProviderResult {
  /** `delivered` when the provider confirms receipt, `sent` when it only accepted the message. */
  outcome: 'sent' | 'delivered';
  statusCode?: number | null;
  providerMessageId?: string | null;
  /** For push: the device token ids reached in this attempt. */
  completedTargets?: string[];
}

/**
 * One way of delivering one channel, and everything Engage needs to know about that channel:
 * the planner asks it whether a send can be delivered (setupHint, recipient), the renderer how
 * text is shown (format), the worker to send. Engage has no per-channel branch besides in_app,
 * which is delivered by being stored. Implementations throw DeliveryError to say whether a
 * failure is worth retrying. A host adds a channel, or replaces a built-in one, with
 * `NotificationModule.forRoot({ channels: [MyProvider] })`.
 */
export interface ChannelProvider<R = unknown> {
  /** The channel's name in the API (`channel` of a send): lower case, digits, `_` or `-`, up to 20. */
  readonly channel: string;
  /** Names the provider in delivery records and metrics, e.g. "smtp:mail.example.com". */
  readonly name: string;
  /** How the channel shows a template's text. */
  readonly format: TextFormat;
  /**
   * Also render an HTML body from the template (email): the message is then its plain-text
   * alternative, stored beside it.
   */
  readonly htmlBody?: boolean;
  /**
   * Null when the provider can send; otherwise what the operator must set, which a send on the
   * channel is refused with (422 channel_not_configured), e.g. "set SMTP_URL and EMAIL_FROM".
   */
  readonly setupHint: string | null;
  /**
   * What a user without an address lacks and how to add one, ending the 422 no_recipient
   * message "User <id> has no …", e.g. "phone number: pass data.phone or set phone with …".
   */
  readonly recipientHint: string;
  /** Whom the notification goes to (an address, a URL, devices…), or null when the user has none. */
  recipient(sources: RecipientSources): Promise<R | null>;
  send(message: OutboundMessage<R>): Promise<ProviderResult>;
  /** Releases connections at shutdown. */
  close?(): void;
}

/** DI token of every ChannelProvider, built-in and registered, in failover order per channel. */
export const CHANNEL_PROVIDERS = Symbol('CHANNEL_PROVIDERS');

/** DI token of the providers a host registered with `forRoot({ channels })`. */
export const REGISTERED_CHANNEL_PROVIDERS = Symbol('REGISTERED_CHANNEL_PROVIDERS');
