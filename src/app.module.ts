import { Module } from '@nestjs/common';
import { ConfigModule, ConfigType } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { ActivityModule } from './activity/activity.module';
import { AuthModule } from './auth/auth.module';
import { authConfig } from './config/auth.config';
import { AllExceptionsFilter } from './common/all-exceptions.filter';
import { appConfig } from './config/app.config';
import { databaseConfig } from './config/database.config';
import { deliveryConfig } from './config/delivery.config';
import { HealthModule } from './health/health.module';
import { NotificationModule } from './notification/notification.module';
import { PrivacyModule } from './privacy/privacy.module';
import { MetricsModule } from './metrics/metrics.module';
import { DemoModule } from './demo/demo.module';

const activityModule = ActivityModule.forRootAsync({
  inject: [databaseConfig.KEY],
  useFactory: (db: ConfigType<typeof databaseConfig>) => ({
    database: db.activityDatabase,
    migrationsRun: db.migrationsRun,
    sessionTimeoutMinutes: db.sessionTimeoutMinutes,
    retentionDays: db.activityRetentionDays ?? undefined,
    maxPendingWrites: db.ingestMaxPending,
  }),
});

const notificationModule = NotificationModule.forRootAsync({
  inject: [databaseConfig.KEY, deliveryConfig.KEY],
  useFactory: (db: ConfigType<typeof databaseConfig>, delivery: ConfigType<typeof deliveryConfig>) => ({
    database: db.notificationsDatabase,
    migrationsRun: db.migrationsRun,
    delivery,
  }),
});

const authModule = AuthModule.forRoot();

/** The standalone Engage service: both domain modules on the databases the environment names. */
@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, load: [appConfig, databaseConfig, authConfig, deliveryConfig] }),
    authModule,
    activityModule,
    notificationModule,
    PrivacyModule.register([activityModule, notificationModule, authModule]),
    DemoModule.register([notificationModule, authModule]),
    HealthModule,
    MetricsModule,
  ],
  // Engage's controllers carry their own guard, pipe and filter (EngageController); this app-wide
  // filter is for what reaches no controller (an unknown path's 404), in the same error shape.
  providers: [{ provide: APP_FILTER, useClass: AllExceptionsFilter }],
})
export class AppModule {}
