import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NOTIFICATION_DATA_SOURCE } from '../../database/data-source-names';
import { NotificationDelivery } from '../entities/notification-delivery.entity';

@Injectable()
export class NotificationDeliveryRepository {
  constructor(@InjectDataSource(NOTIFICATION_DATA_SOURCE) private readonly dataSource: DataSource) {}

  async insert(delivery: NotificationDelivery, manager: EntityManager): Promise<void> {
    await manager.insert(NotificationDelivery, delivery);
  }

  /** How many attempts a notification has had (numbering goes on after a retry re-drives it). */
  countForNotification(notificationId: string): Promise<number> {
    return this.dataSource.manager.countBy(NotificationDelivery, { notificationId });
  }

  /** A notification's attempts in order, through idx_notification_deliveries_notification. */
  listForNotification(notificationId: string): Promise<NotificationDelivery[]> {
    return this.dataSource.manager.find(NotificationDelivery, { where: { notificationId }, order: { attempt: 'ASC' } });
  }
}
