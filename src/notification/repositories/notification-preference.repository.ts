import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { NotificationPreference } from '../entities/notification-preference.entity';
import type { Db, Tx } from '../../database/engine/tx';

@Injectable()
export class NotificationPreferenceRepository {
  findOne(db: Db, key: Pick<NotificationPreference, 'userId' | 'notificationType' | 'channel'>): Promise<NotificationPreference | null> {
    return db.findOneBy(NotificationPreference, key);
  }

  async insert(tx: Tx, preference: NotificationPreference): Promise<void> {
    await tx.insert(NotificationPreference, preference);
  }

  async setEnabled(tx: Tx, preference: NotificationPreference): Promise<void> {
    const { userId, notificationType, channel } = preference;
    await tx.update(
      NotificationPreference,
      { userId, notificationType, channel },
      { enabled: preference.enabled, updatedAt: preference.updatedAt },
    );
  }

  findByUser(db: Db, userId: string): Promise<NotificationPreference[]> {
    return db.find(NotificationPreference, {
      where: { userId },
      order: { notificationType: 'ASC', channel: 'ASC' },
    });
  }

  /** The stored rows that could decide (type, channel): exact ones and `*` wildcards, by primary key. */
  findCandidates(db: Db, userId: string, notificationTypes: string[], channels: string[]): Promise<NotificationPreference[]> {
    return db.findBy(NotificationPreference, {
      userId,
      notificationType: In(notificationTypes),
      channel: In(channels),
    });
  }
}
