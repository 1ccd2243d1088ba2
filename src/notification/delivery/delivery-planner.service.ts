import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { DeliveryConfig } from '../../config/delivery.config';
import type { JsonObject } from '../../common/json';
import type { Notification, NotificationChannel } from '../entities/notification.entity';
import { DeviceTokenRepository } from '../repositories/device-token.repository';
import { UserContactRepository } from '../repositories/user-contact.repository';
import { CHANNEL_PROVIDERS, ChannelProvider } from './channel-provider';
import { CHANNEL_SETUP_HINTS } from './channel-provider.factory';
import { DELIVERY_SETTINGS } from './delivery-settings';
import { recipientEmail, recipientPhone, recipientSlackUrl } from './recipients';

/**
 * Refuses, at send time, what could never be delivered: a channel with no provider configured,
 * or a user with no address on that channel. Nothing is queued only to fail later in silence.
 */
@Injectable()
export class DeliveryPlannerService {
  constructor(
    @Inject(CHANNEL_PROVIDERS) private readonly providers: ChannelProvider[],
    @Inject(DELIVERY_SETTINGS) private readonly settings: DeliveryConfig,
    private readonly contacts: UserContactRepository,
    private readonly devices: DeviceTokenRepository,
  ) {}

  async assertDeliverable(channel: NotificationChannel, userId: string, data: JsonObject | null): Promise<void> {
    if (channel === 'in_app') return;
    if (!this.providers.some((provider) => provider.channel === channel)) {
      throw unprocessable('channel_not_configured', `No provider is configured for ${channel}: ${CHANNEL_SETUP_HINTS[channel]}`);
    }
    const probe = { data } as Notification;
    const contact = await this.contacts.findByUser(userId);
    const missing = (what: string, dataField: string, contactField: string) =>
      unprocessable(
        'no_recipient',
        `User ${userId} has no ${what}: pass data.${dataField} or set ${contactField} with PUT /api/users/{user_id}/contact`,
      );
    if (channel === 'email' && !recipientEmail(probe, contact)) throw missing('email address', 'email', 'email');
    if (channel === 'sms' && !recipientPhone(probe, contact)) throw missing('phone number', 'phone', 'phone');
    if (channel === 'slack' && !recipientSlackUrl(probe, contact)) throw missing('Slack webhook', 'slack_webhook_url', 'slack_webhook_url');
    if (channel === 'webhook' && !contact?.webhookUrl && !this.settings.webhook.defaultUrl) {
      throw unprocessable('no_recipient', `User ${userId} has no webhook_url and WEBHOOK_DEFAULT_URL is not set`);
    }
    if (channel === 'push' && (await this.devices.findActiveByUser(userId)).length === 0) {
      throw unprocessable('no_recipient', `User ${userId} has no active device: register one with POST /api/devices/register`);
    }
  }
}

function unprocessable(code: string, message: string): HttpException {
  return new HttpException({ code, message }, HttpStatus.UNPROCESSABLE_ENTITY);
}
