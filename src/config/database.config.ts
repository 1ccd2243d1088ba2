import { registerAs } from '@nestjs/config';
import { validateEnv } from './env.validation';

export interface DatabaseConfig {
  activityDatabase: string;
  notificationsDatabase: string;
  migrationsRun: boolean;
  sessionTimeoutMinutes: number;
  activityRetentionDays: number | null;
  ingestMaxPending: number;
  /** Health is degraded below this much free space in a database's directory (0: not checked). */
  storageMinFreeBytes: number;
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
    storageMinFreeBytes: env.STORAGE_MIN_FREE_MB * 1024 * 1024,
  };
}

export const databaseConfig = registerAs('database', () => readDatabaseConfig());
