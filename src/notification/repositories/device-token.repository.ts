import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { NOTIFICATION_DATA_SOURCE } from '../../database/data-source-names';
import { DeviceToken } from '../entities/device-token.entity';

@Injectable()
export class DeviceTokenRepository {
  constructor(@InjectDataSource(NOTIFICATION_DATA_SOURCE) private readonly dataSource: DataSource) {}

  findByToken(token: string, manager: EntityManager = this.dataSource.manager): Promise<DeviceToken | null> {
    return manager.findOneBy(DeviceToken, { token });
  }

  async insert(device: DeviceToken, manager: EntityManager): Promise<void> {
    await manager.insert(DeviceToken, device);
  }

  async update(device: DeviceToken, manager: EntityManager): Promise<void> {
    const { id, ...fields } = device;
    await manager.update(DeviceToken, { id }, fields);
  }

  findActiveByUser(userId: string): Promise<DeviceToken[]> {
    return this.dataSource.manager.find(DeviceToken, { where: { userId, isActive: true }, order: { createdAt: 'ASC' } });
  }

  /** Marks a token dead (the push service said so); registering it again revives it. */
  async deactivate(id: string, manager: EntityManager): Promise<void> {
    await manager.update(DeviceToken, { id }, { isActive: false });
  }
}
