import { Inject, Injectable } from '@nestjs/common';
import { LessThan } from 'typeorm';
import { TransactionRunner } from '../database/engine/transaction-runner';
import { AUTH_TRANSACTIONS } from './auth.tokens';
import { UserTokenRevocation } from './entities/user-token-revocation.entity';

@Injectable()
export class UserTokenRevocationRepository {
  constructor(@Inject(AUTH_TRANSACTIONS) private readonly transactions: TransactionRunner) {}

  /** When the user's tokens were last revoked, if ever (a primary-key read on every user-token request). */
  async revokedAt(userId: string): Promise<Date | null> {
    return (await this.transactions.reads.findOneBy(UserTokenRevocation, { userId }))?.revokedAt ?? null;
  }

  async purgeBefore(cutoff: Date): Promise<void> {
    await this.transactions.run((tx) => tx.delete(UserTokenRevocation, { revokedAt: LessThan(cutoff) }));
  }

  async revoke(userId: string, at: Date): Promise<void> {
    await this.transactions.run((tx) => tx.upsert(UserTokenRevocation, { userId, revokedAt: at }, ['userId']));
  }
}
