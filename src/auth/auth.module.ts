import { DynamicModule, Module } from '@nestjs/common';
import { ConfigType } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommonModule } from '../common/common.module';
import { authConfig } from '../config/auth.config';
import { databaseConfig } from '../config/database.config';
import { AUTH_DATA_SOURCE } from '../database/data-source-names';
import { AUTH_ENTITIES, buildDataSourceOptions } from '../database/data-source-options';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKeyService } from './api-key.service';
import { AuthSecretRepository } from './auth-secret.repository';
import { AuthBootstrapService } from './auth-bootstrap.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
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
        TypeOrmModule.forRootAsync({
          name: AUTH_DATA_SOURCE,
          inject: [authConfig.KEY, databaseConfig.KEY],
          useFactory: (config: ConfigType<typeof authConfig>, db: ConfigType<typeof databaseConfig>) =>
            buildDataSourceOptions(AUTH_DATA_SOURCE, {
              database: config.database,
              migrationsRun: options.migrationsRun ?? db.migrationsRun,
            }),
        }),
        TypeOrmModule.forFeature(AUTH_ENTITIES, AUTH_DATA_SOURCE),
      ],
      controllers: options.guard === false ? [] : [AuthController],
      providers: [
        ApiKeyRepository,
        AuthSecretRepository,
        ApiKeyService,
        UserTokenService,
        ...(options.guard === false ? [] : [AuthBootstrapService, { provide: APP_GUARD, useClass: AuthGuard }]),
      ],
      exports: [ApiKeyService, UserTokenService],
    };
  }
}
