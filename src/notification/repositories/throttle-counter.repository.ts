import { Injectable } from '@nestjs/common';
import type { Db, Tx } from '../../database/engine/tx';
import { ThrottleCounter } from '../entities/throttle-counter.entity';

type CounterKey = Pick<ThrottleCounter, 'userId' | 'notificationType' | 'channel'>;

@Injectable()
export class ThrottleCounterRepository {
  find(db: Db, key: CounterKey): Promise<ThrottleCounter | null> {
    return db.findOneBy(ThrottleCounter, key);
  }

  async save(tx: Tx, counter: ThrottleCounter): Promise<void> {
    await tx.upsert(ThrottleCounter, counter, ['userId', 'notificationType', 'channel']);
  }

  async eraseUser(tx: Tx, userId: string): Promise<void> {
    await tx.delete(ThrottleCounter, { userId });
  }
}
