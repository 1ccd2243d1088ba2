import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NOTIFICATION_DATA_SOURCE } from '../../database/data-source-names';
import { NotificationTemplate } from '../entities/notification-template.entity';

@Injectable()
export class NotificationTemplateRepository {
  constructor(@InjectDataSource(NOTIFICATION_DATA_SOURCE) private readonly dataSource: DataSource) {}

  findByName(name: string, manager: EntityManager = this.dataSource.manager): Promise<NotificationTemplate | null> {
    return manager.findOneBy(NotificationTemplate, { name });
  }

  listAll(): Promise<NotificationTemplate[]> {
    return this.dataSource.manager.find(NotificationTemplate, { order: { name: 'ASC' } });
  }

  async insert(template: NotificationTemplate, manager: EntityManager): Promise<void> {
    await manager.insert(NotificationTemplate, template);
  }

  async update(template: NotificationTemplate, manager: EntityManager): Promise<void> {
    const { id, ...fields } = template;
    await manager.update(NotificationTemplate, { id }, fields);
  }

  async deleteById(id: string, manager: EntityManager): Promise<void> {
    await manager.delete(NotificationTemplate, { id });
  }
}
