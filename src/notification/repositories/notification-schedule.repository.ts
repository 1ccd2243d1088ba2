import { Injectable } from '@nestjs/common';
import type { Db, Tx } from '../../database/engine/tx';
import { NotificationSchedule } from '../entities/notification-schedule.entity';

@Injectable()
export class NotificationScheduleRepository {
  findByUser(db: Db, userId: string): Promise<NotificationSchedule | null> {
    return db.findOneBy(NotificationSchedule, { userId });
  }

  async save(tx: Tx, schedule: NotificationSchedule): Promise<void> {
    await tx.upsert(NotificationSchedule, schedule, ['userId']);
  }

  async eraseUser(tx: Tx, userId: string): Promise<void> {
    await tx.delete(NotificationSchedule, { userId });
  }
}
