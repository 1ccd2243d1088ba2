import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NOTIFICATION_DATA_SOURCE } from '../../database/data-source-names';
import { UserContact } from '../entities/user-contact.entity';

@Injectable()
export class UserContactRepository {
  constructor(@InjectDataSource(NOTIFICATION_DATA_SOURCE) private readonly dataSource: DataSource) {}

  findByUser(userId: string, manager: EntityManager = this.dataSource.manager): Promise<UserContact | null> {
    return manager.findOneBy(UserContact, { userId });
  }

  /** Inserts or replaces a user's contact record. */
  async store(contact: UserContact, manager: EntityManager): Promise<void> {
    await manager.upsert(UserContact, contact, ['userId']);
  }
}
