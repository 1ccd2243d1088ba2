import { Injectable } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { IdempotencyRecord } from '../entities/idempotency-record.entity';
import type { Db, Tx } from '../../database/engine/tx';

@Injectable()
export class IdempotencyRepository {
  find(db: Db, key: string): Promise<IdempotencyRecord | null> {
    return db.findOneBy(IdempotencyRecord, { key });
  }

  async store(tx: Tx, record: IdempotencyRecord): Promise<void> {
    await tx.upsert(IdempotencyRecord, record, ['key']);
  }

  async purgeOlderThan(tx: Tx, cutoff: Date): Promise<number> {
    return (await tx.delete(IdempotencyRecord, { createdAt: LessThan(cutoff) })).affected ?? 0;
  }
}
