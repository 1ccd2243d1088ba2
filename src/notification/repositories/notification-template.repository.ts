import { Injectable } from '@nestjs/common';
import { NotificationTemplate } from '../entities/notification-template.entity';
import type { Db, Tx } from '../../database/engine/tx';

@Injectable()
export class NotificationTemplateRepository {
  findByName(db: Db, name: string): Promise<NotificationTemplate | null> {
    return db.findOneBy(NotificationTemplate, { name });
  }

  /** The templates that send `type` when a send names none: named so with no category, or of that category. */
  findSendingType(db: Db, type: string): Promise<NotificationTemplate[]> {
    return db.find(NotificationTemplate, { where: [{ name: type }, { category: type }], order: { name: 'ASC' } });
  }

  listAll(db: Db): Promise<NotificationTemplate[]> {
    return db.find(NotificationTemplate, { order: { name: 'ASC' } });
  }

  async insert(tx: Tx, template: NotificationTemplate): Promise<void> {
    await tx.insert(NotificationTemplate, template);
  }

  async update(tx: Tx, template: NotificationTemplate): Promise<void> {
    const { id, ...fields } = template;
    await tx.update(NotificationTemplate, { id }, fields);
  }

  async deleteById(tx: Tx, id: string): Promise<void> {
    await tx.delete(NotificationTemplate, { id });
  }
}
