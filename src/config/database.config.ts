import { registerAs } from '@nestjs/config';
import { validateEnv } from './env.validation';

export interface DatabaseConfig {
  activityDatabase: string;
  notificationsDatabase: string;
  migrationsRun: boolean;
  sessionTimeoutMinutes: number;
  activityRetentionDays: number | null;
  ingestMaxPending: number;
}

export function readDatabaseConfig(raw: Record<string, unknown> = process.env): DatabaseConfig {
  const env = validateEnv(raw);
  return {
    activityDatabase: env.ACTIVITY_DB_PATH,
    notificationsDatabase: env.NOTIFICATIONS_DB_PATH,
    migrationsRun: env.MIGRATIONS_RUN,
    sessionTimeoutMinutes: env.SESSION_TIMEOUT_MINUTES,
    activityRetentionDays: env.ACTIVITY_RETENTION_DAYS || null,
    ingestMaxPending: env.INGEST_MAX_PENDING,
  };
}

export const databaseConfig = registerAs('database', () => readDatabaseConfig());
