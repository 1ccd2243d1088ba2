import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { DeliveryConfig } from '../config/delivery.config';

/** Options of NotificationModule.forRoot / forRootAsync. */
export interface NotificationModuleOptions {
  /** SQLite file of the notification database (default `notifications.db` in the working directory). */
  database?: string;
  /** Apply pending migrations when the module starts (default true). */
  migrationsRun?: boolean;
  /** Delivery settings: retries, concurrency and provider credentials (see the README). */
  delivery?: Partial<DeliveryConfig>;
}

export const {
  ConfigurableModuleClass: NotificationConfigurableModule,
  MODULE_OPTIONS_TOKEN: NOTIFICATION_MODULE_OPTIONS,
  OPTIONS_TYPE: NOTIFICATION_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: NOTIFICATION_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<NotificationModuleOptions>().setClassMethodName('forRoot').build();
