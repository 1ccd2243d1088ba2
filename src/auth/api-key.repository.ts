import { Inject, Injectable } from '@nestjs/common';
import { IsNull } from 'typeorm';
import { TransactionRunner } from '../database/engine/transaction-runner';
import { AUTH_TRANSACTIONS } from './auth.tokens';
import { ApiKey } from './entities/api-key.entity';

/**
 * API keys. Writes go through the auth database's TransactionRunner, as every other write does:
 * another process holding the file's lock (the apikey CLI, a backup) is waited for without
 * holding up the event loop, and a full disk is a 503 that health reports.
 */
@Injectable()
export class ApiKeyRepository {
  constructor(@Inject(AUTH_TRANSACTIONS) private readonly transactions: TransactionRunner) {}

  findByHash(keyHash: string): Promise<ApiKey | null> {
    return this.transactions.reads.findOneBy(ApiKey, { keyHash });
  }

  async insert(key: ApiKey): Promise<void> {
    await this.transactions.run((tx) => tx.insert(ApiKey, key));
  }

  listAll(): Promise<ApiKey[]> {
    return this.transactions.reads.find(ApiKey, { order: { createdAt: 'ASC' } });
  }

  countActive(): Promise<number> {
    return this.transactions.reads.countBy(ApiKey, { revokedAt: IsNull() });
  }

  findByIdOrName(idOrName: string): Promise<ApiKey[]> {
    return this.transactions.reads.find(ApiKey, { where: [{ id: idOrName }, { name: idOrName }] });
  }

  async markRevoked(id: string, at: Date): Promise<void> {
    await this.transactions.run((tx) => tx.update(ApiKey, { id }, { revokedAt: at }));
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.transactions.run((tx) => tx.update(ApiKey, { id }, { lastUsedAt: at }));
  }
}
