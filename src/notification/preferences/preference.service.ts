import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { TransactionRunner } from '../../database/engine/transaction-runner';
import { ChannelRegistry } from '../delivery/channel-registry';
import { UpsertPreferenceDto } from '../dto/preference.dto';
import { NotificationPreference } from '../entities/notification-preference.entity';
import { NOTIFICATION_TRANSACTIONS } from '../notification.tokens';
import { NotificationPreferenceRepository } from '../repositories/notification-preference.repository';
import { ANY, resolvePreference, ResolvedPreference } from './preference-resolution';

@Injectable()
export class PreferenceService {
  constructor(
    private readonly preferences: NotificationPreferenceRepository,
    @Inject(NOTIFICATION_TRANSACTIONS) private readonly transactions: TransactionRunner,
    private readonly clock: Clock,
    private readonly channels: ChannelRegistry,
  ) {}

  /** Creates or changes one preference; created_at survives changes. */
  upsert(dto: UpsertPreferenceDto): Promise<NotificationPreference> {
    this.channels.assertKnown('channel', dto.channel, { any: true });
    const key = { userId: dto.user_id, notificationType: dto.notification_type, channel: dto.channel };
    return this.transactions.run(async (tx) => {
      const now = this.clock.now();
      const existing = await this.preferences.findOne(tx, key);
      if (existing) {
        existing.enabled = dto.enabled;
        existing.updatedAt = now;
        await this.preferences.setEnabled(tx, existing);
        return existing;
      }
      const created = Object.assign(new NotificationPreference(), { ...key, enabled: dto.enabled, createdAt: now, updatedAt: now });
      await this.preferences.insert(tx, created);
      return created;
    });
  }

  listForUser(userId: string): Promise<NotificationPreference[]> {
    return this.preferences.findByUser(this.transactions.reads, userId);
  }

  /** Whether `type` may be sent to the user on `channel`, and which stored preference said so. */
  async resolve(userId: string, type: string, channel: string): Promise<ResolvedPreference> {
    this.channels.assertKnown('channel', channel, { any: true });
    const candidates = await this.preferences.findCandidates(
      this.transactions.reads,
      userId,
      [...new Set([type, ANY])],
      [...new Set([channel, ANY])],
    );
    return resolvePreference(candidates, type, channel);
  }
}
