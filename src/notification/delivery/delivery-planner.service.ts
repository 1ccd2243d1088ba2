import { HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { JsonObject } from '../../common/json';
import type { Db } from '../../database/engine/tx';
import type { NotificationChannel } from '../entities/notification.entity';
import { DeviceTokenRepository } from '../repositories/device-token.repository';
import { UserContactRepository } from '../repositories/user-contact.repository';
import { IN_APP } from './channel-name';
import { ChannelRegistry } from './channel-registry';
import { recipientSources } from './recipient-sources';

/**
 * Refuses, at send time, what could never be delivered: a channel with no provider configured,
 * or a user with no address on that channel. Nothing is queued only to fail later in silence.
 * The channel's provider answers both questions.
 */
@Injectable()
export class DeliveryPlannerService {
  constructor(
    private readonly channels: ChannelRegistry,
    private readonly contacts: UserContactRepository,
    private readonly devices: DeviceTokenRepository,
  ) {}

  async assertDeliverable(db: Db, channel: NotificationChannel, userId: string, data: JsonObject | null): Promise<void> {
    if (channel === IN_APP) return;
    const provider = this.channels.ready(channel)[0];
    if (!provider) {
      throw unprocessable('channel_not_configured', `No provider is configured for ${channel}: ${this.channels.setupHint(channel)}`);
    }
    const sources = recipientSources(userId, data, {
      contact: () => this.contacts.findByUser(db, userId),
      devices: () => this.devices.findActiveByUser(db, userId),
    });
    if ((await provider.recipient(sources)) === null) {
      throw unprocessable('no_recipient', `User ${userId} has no ${provider.recipientHint}`);
    }
  }
}

function unprocessable(code: string, message: string): HttpException {
  return new HttpException({ code, message }, HttpStatus.UNPROCESSABLE_ENTITY);
}
