import { Injectable } from '@nestjs/common';
import { LessThanOrEqual } from 'typeorm';
import type { Db, Tx } from '../../database/engine/tx';
import { NotificationDigest } from '../entities/notification-digest.entity';
import { Notification } from '../entities/notification.entity';

@Injectable()
export class NotificationDigestRepository {
  findById(db: Db, id: string): Promise<NotificationDigest | null> {
    return db.findOneBy(NotificationDigest, { id });
  }

  /** The user's open digest on the channel that ends at `dueAt`, through its unique index. */
  findOpen(db: Db, userId: string, channel: string, dueAt: Date): Promise<NotificationDigest | null> {
    return db.findOneBy(NotificationDigest, { userId, channel, dueAt, state: 'open' });
  }

  /** Open digests whose window has ended, oldest first. */
  findDue(db: Db, now: Date, limit: number): Promise<NotificationDigest[]> {
    return db.find(NotificationDigest, { where: { state: 'open', dueAt: LessThanOrEqual(now) }, order: { dueAt: 'ASC' }, take: limit });
  }

  async insert(tx: Tx, digest: NotificationDigest): Promise<void> {
    await tx.insert(NotificationDigest, digest);
  }

  async settle(tx: Tx, digest: NotificationDigest): Promise<void> {
    await tx.update(
      NotificationDigest,
      { id: digest.id },
      { state: digest.state, notificationId: digest.notificationId, updatedAt: digest.updatedAt },
    );
  }

  /** The notifications gathered into a digest, in the order they came. */
  items(db: Db, digestId: string): Promise<Notification[]> {
    return db.find(Notification, { where: { digestId }, order: { availableAt: 'ASC', id: 'ASC' } });
  }

  findByUser(db: Db, userId: string): Promise<NotificationDigest[]> {
    return db.find(NotificationDigest, { where: { userId }, order: { createdAt: 'ASC' } });
  }

  async eraseUser(tx: Tx, userId: string): Promise<void> {
    await tx.delete(NotificationDigest, { userId });
  }
}
