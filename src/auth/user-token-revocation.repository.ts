import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../database/data-source-names';
import { TransactionRunner } from '../database/engine/transaction-runner';
import { AUTH_TRANSACTIONS } from './auth.tokens';
import { UserTokenRevocation } from './entities/user-token-revocation.entity';

@Injectable()
export class UserTokenRevocationRepository {
  constructor(
    @InjectDataSource(AUTH_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(AUTH_TRANSACTIONS) private readonly transactions: TransactionRunner,
  ) {}

  /** When the user's tokens were last revoked, if ever (a primary-key read on every user-token request). */
  async revokedAt(userId: string): Promise<Date | null> {
    return (await this.dataSource.manager.findOneBy(UserTokenRevocation, { userId }))?.revokedAt ?? null;
  }

  async purgeBefore(cutoff: Date): Promise<void> {
    await this.transactions.run((manager) => manager.delete(UserTokenRevocation, { revokedAt: LessThan(cutoff) }));
  }

  async revoke(userId: string, at: Date): Promise<void> {
    await this.transactions.run((manager) => manager.upsert(UserTokenRevocation, { userId, revokedAt: at }, ['userId']));
  }
}
