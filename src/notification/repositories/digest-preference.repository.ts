import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { Db, Tx } from '../../database/engine/tx';
import { DigestPreference } from '../entities/digest-preference.entity';

@Injectable()
export class DigestPreferenceRepository {
  findByUser(db: Db, userId: string): Promise<DigestPreference[]> {
    return db.find(DigestPreference, { where: { userId }, order: { notificationType: 'ASC' } });
  }

  /** The user's choices for these types (the type itself and `*`): the rows that can decide one send. */
  findFor(db: Db, userId: string, notificationTypes: string[]): Promise<DigestPreference[]> {
    return db.findBy(DigestPreference, { userId, notificationType: In(notificationTypes) });
  }

  async save(tx: Tx, preference: DigestPreference): Promise<void> {
    await tx.upsert(DigestPreference, preference, ['userId', 'notificationType']);
  }

  async remove(tx: Tx, userId: string, notificationType: string): Promise<void> {
    await tx.delete(DigestPreference, { userId, notificationType });
  }

  async eraseUser(tx: Tx, userId: string): Promise<void> {
    await tx.delete(DigestPreference, { userId });
  }
}
