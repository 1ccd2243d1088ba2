import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { NOTIFICATION_DATA_SOURCE } from '../../database/data-source-names';
import { NotificationPreference } from '../entities/notification-preference.entity';

@Injectable()
export class NotificationPreferenceRepository {
  constructor(@InjectDataSource(NOTIFICATION_DATA_SOURCE) private readonly dataSource: DataSource) {}

  findOne(
    key: Pick<NotificationPreference, 'userId' | 'notificationType' | 'channel'>,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<NotificationPreference | null> {
    return manager.findOneBy(NotificationPreference, key);
  }

  async insert(preference: NotificationPreference, manager: EntityManager): Promise<void> {
    await manager.insert(NotificationPreference, preference);
  }

  async setEnabled(preference: NotificationPreference, manager: EntityManager): Promise<void> {
    const { userId, notificationType, channel } = preference;
    await manager.update(
      NotificationPreference,
      { userId, notificationType, channel },
      { enabled: preference.enabled, updatedAt: preference.updatedAt },
    );
  }

  findByUser(userId: string): Promise<NotificationPreference[]> {
    return this.dataSource.manager.find(NotificationPreference, {
      where: { userId },
      order: { notificationType: 'ASC', channel: 'ASC' },
    });
  }

  /** The stored rows that could decide (type, channel): exact ones and `*` wildcards, by primary key. */
  findCandidates(userId: string, notificationTypes: string[], channels: string[]): Promise<NotificationPreference[]> {
    return this.dataSource.manager.findBy(NotificationPreference, {
      userId,
      notificationType: In(notificationTypes),
      channel: In(channels),
    });
  }
}
