import { Injectable } from '@nestjs/common';
import { UserContact } from '../entities/user-contact.entity';
import type { Db, Tx } from '../../database/engine/tx';

@Injectable()
export class UserContactRepository {
  findByUser(db: Db, userId: string): Promise<UserContact | null> {
    return db.findOneBy(UserContact, { userId });
  }

  /** Inserts or replaces a user's contact record. */
  async store(tx: Tx, contact: UserContact): Promise<void> {
    await tx.upsert(UserContact, contact, ['userId']);
  }
}
