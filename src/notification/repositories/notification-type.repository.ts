import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { NotificationType } from '../entities/notification-type.entity';
import type { Db, Tx } from '../../database/engine/tx';

@Injectable()
export class NotificationTypeRepository {
  findByType(db: Db, notificationType: string): Promise<NotificationType | null> {
    return db.findOneBy(NotificationType, { notificationType });
  }

  /** The registered ones among `notificationTypes`, by primary key. */
  findByTypes(db: Db, notificationTypes: string[]): Promise<NotificationType[]> {
    return db.findBy(NotificationType, { notificationType: In(notificationTypes) });
  }

  /** The whole registry in type order (the primary key's). */
  listAll(db: Db): Promise<NotificationType[]> {
    return db.find(NotificationType, { order: { notificationType: 'ASC' } });
  }

  async insert(tx: Tx, type: NotificationType): Promise<void> {
    await tx.insert(NotificationType, type);
  }

  async update(tx: Tx, type: NotificationType): Promise<void> {
    const { notificationType, ...fields } = type;
    await tx.update(NotificationType, { notificationType }, fields);
  }

  /** True when there was such a type. */
  async deleteByType(tx: Tx, notificationType: string): Promise<boolean> {
    const result = await tx.delete(NotificationType, { notificationType });
    return (result.affected ?? 0) > 0;
  }
}
