import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { readAuthConfig } from '../config/auth.config';
import { readDatabaseConfig } from '../config/database.config';
import { ACTIVITY_DATA_SOURCE, AUTH_DATA_SOURCE, EngageDataSourceName, NOTIFICATION_DATA_SOURCE } from './data-source-names';
import { buildDataSourceOptions } from './data-source-options';
import type { ModuleSchema } from './module-schema';

/**
 * Loads `.env` from the working directory, as the app does through @nestjs/config; variables
 * already set win. The command-line tools call it before reading their configuration.
 */
export function loadDotEnv(): void {
  if (existsSync('.env')) process.loadEnvFile('.env');
}

/** The file a data source uses, read from the environment with the app's own validated config. */
export function databasePathFromEnv(name: EngageDataSourceName, env: Record<string, unknown> = process.env): string {
  switch (name) {
    case ACTIVITY_DATA_SOURCE:
      return readDatabaseConfig(env).activityDatabase;
    case NOTIFICATION_DATA_SOURCE:
      return readDatabaseConfig(env).notificationsDatabase;
    case AUTH_DATA_SOURCE:
      return readAuthConfig(env).database;
  }
}

/**
 * A data source for the command-line tools (engage-migrate, the typeorm CLI's data-source files):
 * the app's options for the same file, except that opening it applies no migration.
 */
export function createCliDataSource(schema: ModuleSchema, env: Record<string, unknown> = process.env): DataSource {
  return new DataSource({ ...buildDataSourceOptions(schema, { database: databasePathFromEnv(schema.name, env) }), migrationsRun: false });
}
