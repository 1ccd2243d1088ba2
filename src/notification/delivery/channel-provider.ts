import type { DeviceToken } from '../entities/device-token.entity';
import type { Notification, NotificationChannel } from '../entities/notification.entity';
import type { UserContact } from '../entities/user-contact.entity';

/** Everything a provider needs to deliver one notification. */
export interface OutboundMessage {
  notification: Notification;
  contact: UserContact | null;
  /** For push: the user's active devices not yet reached by an earlier attempt. */
  devices: DeviceToken[];
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
 * One way of delivering one channel. Implementations throw DeliveryError to say whether a
 * failure is worth retrying. Provide more under the CHANNEL_PROVIDERS token to add or replace one.
 */
export interface ChannelProvider {
  readonly channel: NotificationChannel;
  /** Names the provider in delivery records, e.g. "smtp:mail.example.com". */
  readonly name: string;
  send(message: OutboundMessage): Promise<ProviderResult>;
  /** Releases connections at shutdown. */
  close?(): void;
}

/** DI token of the ChannelProvider[] in failover order per channel. */
export const CHANNEL_PROVIDERS = Symbol('CHANNEL_PROVIDERS');
