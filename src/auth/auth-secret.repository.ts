import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AUTH_DATA_SOURCE } from '../database/data-source-names';
import { TransactionRunner } from '../database/engine/transaction-runner';
import { AUTH_TRANSACTIONS } from './auth.tokens';
import { AuthSecret } from './entities/auth-secret.entity';

@Injectable()
export class AuthSecretRepository {
  constructor(
    @InjectDataSource(AUTH_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(AUTH_TRANSACTIONS) private readonly transactions: TransactionRunner,
  ) {}

  /** Stores a secret unless one of that name exists (another process may have won), and returns the stored one. */
  async ensure(secret: AuthSecret): Promise<AuthSecret> {
    await this.transactions.run((manager) => manager.createQueryBuilder().insert().into(AuthSecret).values(secret).orIgnore().execute());
    return (await this.dataSource.manager.findOneBy(AuthSecret, { name: secret.name })) ?? secret;
  }
}
