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

  /**
   * The remembered answers of fan-outs (no one user's) that name `userId` in their results: the
   * user id as a JSON string, searched for in the stored text.
   */
  findFanOutsNaming(db: Db, userId: string): Promise<IdempotencyRecord[]> {
    const needle = `"user_id":${JSON.stringify(userId)}`.replace(/[\\%_]/g, (c) => `\\${c}`);
    return db
      .createQueryBuilder(IdempotencyRecord, 'r')
      .where('r.user_id IS NULL')
      .andWhere("r.response_body LIKE :needle ESCAPE '\\'", { needle: `%${needle}%` })
      .getMany();
  }

  async replaceBody(tx: Tx, key: string, body: IdempotencyRecord['responseBody']): Promise<void> {
    await tx.update(IdempotencyRecord, { key }, { responseBody: body });
  }

  async purgeOlderThan(tx: Tx, cutoff: Date): Promise<number> {
    return (await tx.delete(IdempotencyRecord, { createdAt: LessThan(cutoff) })).affected ?? 0;
  }
}
