import { DynamicModule, InjectionToken, Module, ModuleMetadata, OptionalFactoryDependency, Provider } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { JwtModule } from '@nestjs/jwt';
import { ThrottlerModule } from '@nestjs/throttler';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CommonModule } from '../common/common.module';
import { AuthConfig, authConfig, readAuthConfig } from '../config/auth.config';
import { RESOLVE_PRINCIPAL, ResolvePrincipal } from './resolve-principal';
import { databaseConfig } from '../config/database.config';
import { AUTH_DATA_SOURCE } from '../database/data-source-names';
import type { HostDataSource } from '../database/host-data-source';
import { moduleDataSourceOptions } from '../database/module-database';
import { AUTH_SCHEMA } from './auth.schema';
import { DatabaseMonitor } from '../database/database-monitor';
import { DatabaseMonitorModule } from '../database/database-monitor.module';
import { openWhenUnlocked } from '../database/open-when-unlocked';
import { TransactionRunner } from '../database/engine/transaction-runner';
import { AUTH_TRANSACTIONS } from './auth.tokens';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKeyService } from './api-key.service';
import { AuthSecretRepository } from './auth-secret.repository';
import { UserTokenRevocationRepository } from './user-token-revocation.repository';
import { AuthBootstrapService } from './auth-bootstrap.service';
import { AuthController } from './auth.controller';
import { AuthFailureLimiter } from './auth-failure-limiter.service';
import { RateLimitStoreModule } from './rate-limit-store.module';
import { RateLimiterStorage } from './rate-limiter.storage';
import { UserTokenService } from './user-token.service';

/** Options of AuthModule.forRoot (and what forRootAsync's factory returns). */
export interface AuthModuleOptions {
  /** Apply pending migrations at start (default: MIGRATIONS_RUN in the service, else true). */
  migrationsRun?: boolean;
  /**
   * The host's database for the auth tables instead of AUTH_DB_PATH's file: its TypeORM DataSource
   * or DataSourceOptions (better-sqlite3 for now). Engage opens its own connection from the host's
   * settings and runs its migrations there; not together with `config.database`.
   */
  dataSource?: HostDataSource;
  /** Settings over those read from the environment (AUTH_DB_PATH, API_KEYS, USER_TOKEN_SECRET…). */
  config?: Partial<AuthConfig>;
  /** The host's own authentication, used instead of Engage's keys and user tokens. */
  resolvePrincipal?: ResolvePrincipal;
}

/** forRootAsync: the options from a factory, as Nest's other modules take them. */
export interface AuthModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
  useFactory: (...args: never[]) => AuthModuleOptions | Promise<AuthModuleOptions>;
}

/** DI token of the AuthModuleOptions in force. */
export const AUTH_MODULE_OPTIONS = Symbol('ENGAGE_AUTH_MODULE_OPTIONS');

@Module({})
export class AuthModule {
  /** `guard: false` leaves out the guards' providers and the controller (the key-management CLI needs only the services). */
  static forRoot(options: AuthModuleOptions & { guard?: boolean } = {}): DynamicModule {
    return AuthModule.build({ provide: AUTH_MODULE_OPTIONS, useValue: options }, [], options.guard !== false);
  }

  static forRootAsync(options: AuthModuleAsyncOptions): DynamicModule {
    return AuthModule.build(
      {
        provide: AUTH_MODULE_OPTIONS,
        useFactory: options.useFactory as (...args: unknown[]) => AuthModuleOptions,
        inject: options.inject ?? [],
      },
      options.imports ?? [],
      true,
    );
  }

  private static build(optionsProvider: Provider, imports: NonNullable<ModuleMetadata['imports']>, guarded: boolean): DynamicModule {
    const settings: Provider = {
      provide: authConfig.KEY,
      useFactory: (options: AuthModuleOptions): AuthConfig => ({ ...readAuthConfig(), ...options.config }),
      inject: [AUTH_MODULE_OPTIONS],
    };
    return {
      module: AuthModule,
      global: true,
      imports: [
        ...imports,
        CommonModule,
        JwtModule.register({}),
        // The rate limiter (and its Redis connection) only where the guard runs: not for the CLI.
        ...(!guarded
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
          // The standalone service's MIGRATIONS_RUN; a host without Engage's ConfigModule passes migrationsRun.
          inject: [authConfig.KEY, AUTH_MODULE_OPTIONS, { token: databaseConfig.KEY, optional: true }],
          useFactory: (
            config: ConfigType<typeof authConfig>,
            options: AuthModuleOptions,
            db: ConfigType<typeof databaseConfig> | undefined,
          ) =>
            moduleDataSourceOptions(AUTH_SCHEMA, {
              owner: AuthModule.name,
              databaseOption: 'config.database',
              dataSourceOption: 'dataSource',
              // AUTH_DB_PATH is a default, not a choice of the host's: only config.database conflicts with dataSource.
              database: options.config?.database,
              defaultDatabase: config.database,
              dataSource: options.dataSource,
              migrationsRun: options.migrationsRun ?? db?.migrationsRun ?? true,
            }),
          // Boot waits for a lock another process holds, instead of exiting after the busy timeout.
          dataSourceFactory: (dataSourceOptions) => openWhenUnlocked(dataSourceOptions!),
        }),
        TypeOrmModule.forFeature(AUTH_SCHEMA.entities, AUTH_DATA_SOURCE),
        DatabaseMonitorModule,
      ],
      controllers: guarded ? [AuthController] : [],
      providers: [
        optionsProvider,
        settings,
        {
          provide: RESOLVE_PRINCIPAL,
          useFactory: (options: AuthModuleOptions) => options.resolvePrincipal ?? null,
          inject: [AUTH_MODULE_OPTIONS],
        },
        {
          provide: AUTH_TRANSACTIONS,
          useFactory: (dataSource: DataSource, monitor: DatabaseMonitor) =>
            new TransactionRunner(dataSource, { database: AUTH_DATA_SOURCE, monitor }),
          inject: [getDataSourceToken(AUTH_DATA_SOURCE), DatabaseMonitor],
        },
        ApiKeyRepository,
        AuthSecretRepository,
        UserTokenRevocationRepository,
        ApiKeyService,
        UserTokenService,
        ...(guarded ? [AuthBootstrapService, AuthFailureLimiter] : []),
      ],
      // What AuthGuard and CredentialThrottlerGuard need, wherever an Engage controller is.
      exports: [
        AUTH_MODULE_OPTIONS,
        ApiKeyService,
        UserTokenService,
        settings,
        RESOLVE_PRINCIPAL,
        ...(guarded ? [AuthFailureLimiter, ThrottlerModule] : []),
      ],
    };
  }
}
