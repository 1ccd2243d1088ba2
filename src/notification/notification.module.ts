import { DynamicModule, Module } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CommonModule } from '../common/common.module';
import { NOTIFICATION_DATA_SOURCE } from '../database/data-source-names';
import { NOTIFICATION_ENTITIES } from '../database/data-source-options';
import { withModuleDatabase } from '../database/module-database';
import { TransactionRunner } from '../database/transaction-runner';
import { DeviceController } from './devices/device.controller';
import { DeviceService } from './devices/device.service';
import {
  NOTIFICATION_ASYNC_OPTIONS_TYPE,
  NOTIFICATION_MODULE_OPTIONS,
  NOTIFICATION_OPTIONS_TYPE,
  NotificationConfigurableModule,
} from './notification-module.definition';
import { NotificationSchedulerService } from './notification-scheduler.service';
import { NotificationController } from './notification.controller';
import { NotificationService } from './notification.service';
import { NOTIFICATION_TRANSACTIONS } from './notification.tokens';
import { PreferenceController } from './preferences/preference.controller';
import { PreferenceService } from './preferences/preference.service';
import { DeviceTokenRepository } from './repositories/device-token.repository';
import { NotificationPreferenceRepository } from './repositories/notification-preference.repository';
import { NotificationTemplateRepository } from './repositories/notification-template.repository';
import { NotificationRepository } from './repositories/notification.repository';
import { NotificationContentService } from './templates/notification-content.service';
import { TemplateController } from './templates/template.controller';
import { TemplateRenderer } from './templates/template-renderer';
import { TemplateService } from './templates/template.service';

const DEFAULTS = { database: 'notifications.db', migrationsRun: true };

/** Notifications: sending, inbox, preferences, templates and device tokens, on the module's own database. */
@Module({
  imports: [CommonModule, TypeOrmModule.forFeature(NOTIFICATION_ENTITIES, NOTIFICATION_DATA_SOURCE)],
  // TemplateController and PreferenceController come first: their literal paths must win over
  // NotificationController's parameterised ones.
  controllers: [TemplateController, PreferenceController, NotificationController, DeviceController],
  providers: [
    NotificationService,
    NotificationContentService,
    NotificationSchedulerService,
    PreferenceService,
    TemplateService,
    TemplateRenderer,
    DeviceService,
    NotificationRepository,
    NotificationPreferenceRepository,
    NotificationTemplateRepository,
    DeviceTokenRepository,
    {
      provide: NOTIFICATION_TRANSACTIONS,
      useFactory: (dataSource: DataSource) => new TransactionRunner(dataSource),
      inject: [getDataSourceToken(NOTIFICATION_DATA_SOURCE)],
    },
  ],
  exports: [NotificationService, PreferenceService, TemplateService, DeviceService],
})
export class NotificationModule extends NotificationConfigurableModule {
  static override forRoot(options: typeof NOTIFICATION_OPTIONS_TYPE = {}): DynamicModule {
    return withModuleDatabase(super.forRoot(options), NOTIFICATION_MODULE_OPTIONS, NOTIFICATION_DATA_SOURCE, DEFAULTS);
  }

  static override forRootAsync(options: typeof NOTIFICATION_ASYNC_OPTIONS_TYPE): DynamicModule {
    return withModuleDatabase(super.forRootAsync(options), NOTIFICATION_MODULE_OPTIONS, NOTIFICATION_DATA_SOURCE, DEFAULTS);
  }
}
