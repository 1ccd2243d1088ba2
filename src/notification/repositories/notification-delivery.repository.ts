import { Injectable } from '@nestjs/common';
import { NotificationDelivery } from '../entities/notification-delivery.entity';
import type { Db, Tx } from '../../database/engine/tx';

@Injectable()
export class NotificationDeliveryRepository {
  async insert(tx: Tx, delivery: NotificationDelivery): Promise<void> {
    await tx.insert(NotificationDelivery, delivery);
  }

  async update(tx: Tx, delivery: NotificationDelivery): Promise<void> {
    await tx.update(NotificationDelivery, { id: delivery.id }, delivery);
  }

  /**
   * Attempts left in flight by a process that stopped during them: their outcome cannot be known.
   * Called when a job is taken up, under its lease, so no live attempt of it is in flight.
   */
  async markInFlightUnknown(tx: Tx, notificationId: string, at: Date): Promise<number> {
    const result = await tx.update(
      NotificationDelivery,
      { notificationId, outcome: 'in_flight' },
      { outcome: 'unknown', finishedAt: at, error: 'outcome unknown: the process stopped during the attempt; sent again' },
    );
    return result.affected ?? 0;
  }

  async deleteForNotification(tx: Tx, notificationId: string): Promise<void> {
    await tx.delete(NotificationDelivery, { notificationId });
  }

  /** How many attempts a notification has had (numbering goes on after a retry re-drives it). */
  countForNotification(db: Db, notificationId: string): Promise<number> {
    return db.countBy(NotificationDelivery, { notificationId });
  }

  /** A notification's attempts in order, through idx_notification_deliveries_notification. */
  listForNotification(db: Db, notificationId: string): Promise<NotificationDelivery[]> {
    return db.find(NotificationDelivery, { where: { notificationId }, order: { attempt: 'ASC' } });
  }
}
