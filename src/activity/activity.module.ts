import { DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CommonModule } from '../common/common.module';
import { ACTIVITY_DATA_SOURCE } from '../database/data-source-names';
import { ACTIVITY_SCHEMA } from './activity.schema';
import { withModuleDatabase } from '../database/module-database';
import { DatabaseMonitor } from '../database/database-monitor';
import { DatabaseMonitorModule } from '../database/database-monitor.module';
import { TransactionRunner } from '../database/engine/transaction-runner';
import { WalCheckpointer } from '../database/engine/wal-checkpointer';
import {
  ACTIVITY_ASYNC_OPTIONS_TYPE,
  ACTIVITY_MODULE_OPTIONS,
  ACTIVITY_OPTIONS_TYPE,
  ActivityConfigurableModule,
} from './activity-module.definition';
import { ActivityController } from './activity.controller';
import { ActivityService } from './activity.service';
import { ACTIVITY_TRANSACTIONS } from './activity.tokens';
import { AnalyticsController } from './analytics.controller';
import { AnalyticsService } from './analytics.service';
import { UserActivityRepository } from './repositories/user-activity.repository';
import { UserAnalyticsRepository } from './repositories/user-analytics.repository';
import { UserSessionRepository } from './repositories/user-session.repository';
import { ACTIVITY_SETTINGS, DEFAULT_SESSION_TIMEOUT_MINUTES } from './activity-settings';
import type { ActivityModuleOptions } from './activity-module.definition';
import { SessionController } from './session.controller';
import { SessionReaperService } from './session-reaper.service';
import { SessionTrackerService } from './session-tracker.service';
import { IdentityService } from './identity.service';
import { IdentityRepository } from './repositories/identity.repository';
import { RollupRepository } from './repositories/rollup.repository';
import { UserDataRepository } from './repositories/user-data.repository';
import { UserDataService } from './user-data.service';
import { ActivityRetentionService } from './activity-retention.service';
import { InsightsController } from './insights/insights.controller';
import { InsightsService } from './insights/insights.service';
import { SessionService } from './session.service';
import { SegmentController } from './segment/segment.controller';
import { SegmentService } from './segment/segment.service';
import { TraitsService } from './traits.service';
import { TraitsRepository } from './repositories/traits.repository';

const DEFAULTS = { database: 'user_activities.db', migrationsRun: true };

/** Tracking: activities, sessions and per-user analytics, on the module's own database or the host's. */
@Module({
  imports: [CommonModule, DatabaseMonitorModule, TypeOrmModule.forFeature(ACTIVITY_SCHEMA.entities, ACTIVITY_DATA_SOURCE)],
  // InsightsController first: its literal paths (overview, funnel, retention) before user/:user_id.
  controllers: [InsightsController, ActivityController, SessionController, AnalyticsController, SegmentController],
  providers: [
    ActivityService,
    SegmentService,
    TraitsService,
    TraitsRepository,
    SessionService,
    SessionTrackerService,
    IdentityService,
    IdentityRepository,
    RollupRepository,
    UserDataRepository,
    UserDataService,
    ActivityRetentionService,
    InsightsService,
    SessionReaperService,
    AnalyticsService,
    {
      provide: ACTIVITY_SETTINGS,
      useFactory: (options: ActivityModuleOptions) => ({
        sessionTimeoutMs: (options.sessionTimeoutMinutes ?? DEFAULT_SESSION_TIMEOUT_MINUTES) * 60_000,
        retentionDays: options.retentionDays ?? null,
        maxPendingWrites: options.maxPendingWrites ?? 2000,
      }),
      inject: [ACTIVITY_MODULE_OPTIONS],
    },
    UserActivityRepository,
    UserSessionRepository,
    UserAnalyticsRepository,
    {
      provide: ACTIVITY_TRANSACTIONS,
      useFactory: (dataSource: DataSource, monitor: DatabaseMonitor) =>
        new TransactionRunner(dataSource, { database: ACTIVITY_DATA_SOURCE, monitor }),
      inject: [getDataSourceToken(ACTIVITY_DATA_SOURCE), DatabaseMonitor],
    },
    {
      provide: WalCheckpointer,
      useFactory: (dataSource: DataSource) => new WalCheckpointer(dataSource, { database: ACTIVITY_DATA_SOURCE }),
      inject: [getDataSourceToken(ACTIVITY_DATA_SOURCE)],
    },
  ],
  exports: [ActivityService, SessionService, AnalyticsService, UserDataService],
})
export class ActivityModule extends ActivityConfigurableModule {
  static override forRoot(options: typeof ACTIVITY_OPTIONS_TYPE = {}): DynamicModule {
    return withModuleDatabase(super.forRoot(options), ACTIVITY_MODULE_OPTIONS, ACTIVITY_SCHEMA, ActivityModule.name, DEFAULTS);
  }

  static override forRootAsync(options: typeof ACTIVITY_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withModuleDatabase(super.forRootAsync(options), ACTIVITY_MODULE_OPTIONS, ACTIVITY_SCHEMA, ActivityModule.name, DEFAULTS);
  }
}
