import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, LessThan } from 'typeorm';
import { NOTIFICATION_DATA_SOURCE } from '../../database/data-source-names';
import { IdempotencyRecord } from '../entities/idempotency-record.entity';

@Injectable()
export class IdempotencyRepository {
  constructor(@InjectDataSource(NOTIFICATION_DATA_SOURCE) private readonly dataSource: DataSource) {}

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  find(key: string, manager: EntityManager): Promise<IdempotencyRecord | null> {
    return manager.findOneBy(IdempotencyRecord, { key });
  }

  async store(record: IdempotencyRecord, manager: EntityManager): Promise<void> {
    await manager.upsert(IdempotencyRecord, record, ['key']);
  }

  async purgeOlderThan(cutoff: Date, manager: EntityManager): Promise<number> {
    return (await manager.delete(IdempotencyRecord, { createdAt: LessThan(cutoff) })).affected ?? 0;
  }
}
