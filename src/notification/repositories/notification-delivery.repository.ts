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

  async update(delivery: NotificationDelivery, manager: EntityManager): Promise<void> {
    await manager.update(NotificationDelivery, { id: delivery.id }, delivery);
  }

  /**
   * Attempts left in flight by a process that stopped during them: their outcome cannot be known.
   * Called when a job is taken up, under its lease, so no live attempt of it is in flight.
   */
  async markInFlightUnknown(notificationId: string, at: Date, manager: EntityManager): Promise<number> {
    const result = await manager.update(
      NotificationDelivery,
      { notificationId, outcome: 'in_flight' },
      { outcome: 'unknown', finishedAt: at, error: 'outcome unknown: the process stopped during the attempt; sent again' },
    );
    return result.affected ?? 0;
  }

  /** How many attempts a notification has had (numbering goes on after a retry re-drives it). */
  countForNotification(notificationId: string, manager: EntityManager = this.dataSource.manager): Promise<number> {
    return manager.countBy(NotificationDelivery, { notificationId });
  }

  /** A notification's attempts in order, through idx_notification_deliveries_notification. */
  listForNotification(notificationId: string): Promise<NotificationDelivery[]> {
    return this.dataSource.manager.find(NotificationDelivery, { where: { notificationId }, order: { attempt: 'ASC' } });
  }
}
