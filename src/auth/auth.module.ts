import { DynamicModule, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CommonModule } from '../common/common.module';
import { authConfig } from '../config/auth.config';
import { databaseConfig } from '../config/database.config';
import { AUTH_DATA_SOURCE } from '../database/data-source-names';
import { AUTH_ENTITIES, buildDataSourceOptions } from '../database/data-source-options';
import { DatabaseMonitor } from '../database/database-monitor';
import { DatabaseMonitorModule } from '../database/database-monitor.module';
import { openWhenUnlocked } from '../database/open-when-unlocked';
import { TransactionRunner } from '../database/transaction-runner';
import { AUTH_TRANSACTIONS } from './auth.tokens';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKeyService } from './api-key.service';
import { AuthSecretRepository } from './auth-secret.repository';
import { UserTokenRevocationRepository } from './user-token-revocation.repository';
import { AuthBootstrapService } from './auth-bootstrap.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthFailureLimiter } from './auth-failure-limiter.service';
import { CredentialThrottlerGuard } from './credential-throttler.guard';
import { RateLimitStoreModule } from './rate-limit-store.module';
import { RateLimiterStorage } from './rate-limiter.storage';
import { UserTokenService } from './user-token.service';

/** API keys, user tokens and the global guard, on their own small database. */
@Module({})
export class AuthModule {
  /** `guard: false` leaves out the global guard (the key-management CLI needs only the services). */
  static forRoot(options: { guard?: boolean; migrationsRun?: boolean } = {}): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        CommonModule,
        JwtModule.register({}),
        // The rate limiter (and its Redis connection) only where the guard runs: not for the CLI.
        ...(options.guard === false
          ? []
          : [
              ThrottlerModule.forRootAsync({
                imports: [RateLimitStoreModule],
                inject: [authConfig.KEY, RateLimiterStorage],
                useFactory: (config: ConfigType<typeof authConfig>, storage: RateLimiterStorage) => ({
                  throttlers: [{ name: 'default', ttl: 60_000, limit: Math.max(1, config.rateLimitPerMinute) }],
                  skipIf: () => config.rateLimitPerMinute === 0,
                  storage,
                }),
              }),
            ]),
        TypeOrmModule.forRootAsync({
          name: AUTH_DATA_SOURCE,
          inject: [authConfig.KEY, databaseConfig.KEY],
          useFactory: (config: ConfigType<typeof authConfig>, db: ConfigType<typeof databaseConfig>) =>
            buildDataSourceOptions(AUTH_DATA_SOURCE, {
              database: config.database,
              migrationsRun: options.migrationsRun ?? db.migrationsRun,
            }),
          // Boot waits for a lock another process holds, instead of exiting after the busy timeout.
          dataSourceFactory: (dataSourceOptions) => openWhenUnlocked(dataSourceOptions!),
        }),
        TypeOrmModule.forFeature(AUTH_ENTITIES, AUTH_DATA_SOURCE),
        DatabaseMonitorModule,
      ],
      controllers: options.guard === false ? [] : [AuthController],
      providers: [
        {
          provide: AUTH_TRANSACTIONS,
          useFactory: (dataSource: DataSource, monitor: DatabaseMonitor) => new TransactionRunner(dataSource, { database: AUTH_DATA_SOURCE, monitor }),
          inject: [getDataSourceToken(AUTH_DATA_SOURCE), DatabaseMonitor],
        },
        ApiKeyRepository,
        AuthSecretRepository,
        UserTokenRevocationRepository,
        ApiKeyService,
        UserTokenService,
        // Guards run in this order: authenticate first, so the rate limit can count per credential.
        ...(options.guard === false
          ? []
          : [
              AuthBootstrapService,
              AuthFailureLimiter,
              { provide: APP_GUARD, useClass: AuthGuard },
              { provide: APP_GUARD, useClass: CredentialThrottlerGuard },
            ]),
      ],
      exports: [ApiKeyService, UserTokenService],
    };
  }
}
