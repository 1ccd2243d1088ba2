import { Injectable } from '@nestjs/common';
import { DeviceToken } from '../entities/device-token.entity';
import type { Db, Tx } from '../../database/engine/tx';

@Injectable()
export class DeviceTokenRepository {
  findByToken(db: Db, token: string): Promise<DeviceToken | null> {
    return db.findOneBy(DeviceToken, { token });
  }

  async insert(tx: Tx, device: DeviceToken): Promise<void> {
    await tx.insert(DeviceToken, device);
  }

  async update(tx: Tx, device: DeviceToken): Promise<void> {
    const { id, ...fields } = device;
    await tx.update(DeviceToken, { id }, fields);
  }

  findActiveByUser(db: Db, userId: string): Promise<DeviceToken[]> {
    return db.find(DeviceToken, { where: { userId, isActive: true }, order: { createdAt: 'ASC' } });
  }

  /** Marks a token dead (the push service said so); registering it again revives it. */
  async deactivate(tx: Tx, id: string): Promise<void> {
    await tx.update(DeviceToken, { id }, { isActive: false });
  }
}
