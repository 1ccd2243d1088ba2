import { Inject, Injectable } from '@nestjs/common';
import { TransactionRunner } from '../database/engine/transaction-runner';
import { AUTH_TRANSACTIONS } from './auth.tokens';
import { AuthSecret } from './entities/auth-secret.entity';

@Injectable()
export class AuthSecretRepository {
  constructor(@Inject(AUTH_TRANSACTIONS) private readonly transactions: TransactionRunner) {}

  /** Stores a secret unless one of that name exists (another process may have won), and returns the stored one. */
  async ensure(secret: AuthSecret): Promise<AuthSecret> {
    await this.transactions.run((tx) => tx.createQueryBuilder().insert().into(AuthSecret).values(secret).orIgnore().execute());
    return (await this.transactions.reads.findOneBy(AuthSecret, { name: secret.name })) ?? secret;
  }
}
