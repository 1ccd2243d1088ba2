import type { DataSourceOptions } from 'typeorm';
import { activityMigrations } from '../../migrations/activity';
import { authMigrations } from '../../migrations/auth';
import { notificationMigrations } from '../../migrations/notification';
import { UserActivityCounter } from '../activity/entities/user-activity-counter.entity';
import { UserActivity } from '../activity/entities/user-activity.entity';
import { UserAnalytics } from '../activity/entities/user-analytics.entity';
import { Identity } from '../activity/entities/identity.entity';
import { UserActiveDay } from '../activity/entities/user-active-day.entity';
import { DailyCount } from '../activity/entities/daily-count.entity';
import { DailyStat } from '../activity/entities/daily-stat.entity';
import { UserTokenRevocation } from '../auth/entities/user-token-revocation.entity';
import { UserTraits } from '../activity/entities/user-traits.entity';
import { UserGroup } from '../activity/entities/user-group.entity';
import { UserGroupMember } from '../activity/entities/user-group-member.entity';
import { UserCohort } from '../activity/entities/user-cohort.entity';
import { UserSession } from '../activity/entities/user-session.entity';
import { ApiKey } from '../auth/entities/api-key.entity';
import { AuthSecret } from '../auth/entities/auth-secret.entity';
import { DeviceToken } from '../notification/entities/device-token.entity';
import { NotificationPreference } from '../notification/entities/notification-preference.entity';
import { NotificationTemplate } from '../notification/entities/notification-template.entity';
import { DeliveryJob } from '../notification/entities/delivery-job.entity';
import { IdempotencyRecord } from '../notification/entities/idempotency-record.entity';
import { NotificationDelivery } from '../notification/entities/notification-delivery.entity';
import { Notification } from '../notification/entities/notification.entity';
import { UserContact } from '../notification/entities/user-contact.entity';
import { ACTIVITY_DATA_SOURCE, AUTH_DATA_SOURCE, EngageDataSourceName, NOTIFICATION_DATA_SOURCE } from './data-source-names';

export const ACTIVITY_ENTITIES = [
  UserActivity,
  UserSession,
  UserAnalytics,
  UserActivityCounter,
  Identity,
  UserActiveDay,
  DailyStat,
  DailyCount,
  UserCohort,
  UserTraits,
  UserGroup,
  UserGroupMember,
];
export const NOTIFICATION_ENTITIES = [
  Notification,
  NotificationPreference,
  NotificationTemplate,
  DeviceToken,
  NotificationDelivery,
  DeliveryJob,
  UserContact,
  IdempotencyRecord,
];
export const AUTH_ENTITIES = [ApiKey, AuthSecret, UserTokenRevocation];

/** What a module (or the migration CLI) says about its database. */
export interface DatabaseConnectionOptions {
  /** Path of the SQLite file; created with its directory when missing. */
  database: string;
  /** Apply pending migrations when the data source initialises. */
  migrationsRun?: boolean;
}

const SCHEMA: Record<EngageDataSourceName, Pick<DataSourceOptions, 'entities' | 'migrations'>> = {
  [ACTIVITY_DATA_SOURCE]: { entities: ACTIVITY_ENTITIES, migrations: activityMigrations },
  [NOTIFICATION_DATA_SOURCE]: { entities: NOTIFICATION_ENTITIES, migrations: notificationMigrations },
  [AUTH_DATA_SOURCE]: { entities: AUTH_ENTITIES, migrations: authMigrations },
};

/**
 * The one place that turns configuration into TypeORM options. The app modules and the
 * migration CLI's data-source files both call it, so they can never disagree.
 */
export function buildDataSourceOptions(name: EngageDataSourceName, options: DatabaseConnectionOptions): DataSourceOptions {
  return {
    type: 'better-sqlite3',
    database: options.database,
    // WAL lets readers run beside the writer; synchronous=NORMAL in WAL mode loses nothing
    // on a process crash (committed pages are in the WAL file), only on power loss.
    enableWAL: true,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('synchronous = NORMAL');
      // The savepoint journals of group commit (one savepoint per request) in memory rather
      // than in temp files: this halved the cost of every statement inside a group.
      db.pragma('temp_store = MEMORY');
    },
    // better-sqlite3's busy timeout: wait this long for another process's write lock.
    timeout: 5000,
    ...SCHEMA[name],
    // One migrations table per module, so the modules can later share one database server.
    migrationsTableName: `${name}_migrations`,
    migrationsRun: options.migrationsRun ?? true,
    synchronize: false,
    logging: false,
  };
}
