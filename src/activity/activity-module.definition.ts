import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { HostDataSource } from '../database/host-data-source';

/** Options of ActivityModule.forRoot / forRootAsync. */
export interface ActivityModuleOptions {
  /** SQLite file of the activity database (default `user_activities.db` in the working directory). */
  database?: string;
  /**
   * The host's database for the activity tables instead of a file of their own: its TypeORM
   * DataSource or DataSourceOptions (better-sqlite3 for now). Engage opens its own connection
   * from the host's settings and runs its migrations there; not together with `database`.
   */
  dataSource?: HostDataSource;
  /** Apply pending migrations when the module starts (default true). */
  migrationsRun?: boolean;
  /** An automatic session ends after this many minutes without events (default 30). */
  sessionTimeoutMinutes?: number;
  /** Purge raw events older than this many days (at least 30, so duplicate ids stay known); unset keeps them. */
  retentionDays?: number;
  /** Tracking answers 429 (Retry-After: 1) while more writes than this wait (default 2000). */
  maxPendingWrites?: number;
}

export const {
  ConfigurableModuleClass: ActivityConfigurableModule,
  MODULE_OPTIONS_TOKEN: ACTIVITY_MODULE_OPTIONS,
  OPTIONS_TYPE: ACTIVITY_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: ACTIVITY_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<ActivityModuleOptions>().setClassMethodName('forRoot').build();
