import { ConfigurableModuleBuilder, Type } from '@nestjs/common';
import type { DeliveryConfig } from '../config/delivery.config';
import type { HostDataSource } from '../database/host-data-source';
import type { ChannelProvider } from './delivery/channel-provider';

/** Options of NotificationModule.forRoot / forRootAsync. */
export interface NotificationModuleOptions {
  /** SQLite file of the notification database (default `notifications.db` in the working directory). */
  database?: string;
  /**
   * The host's database for the notification tables instead of a file of their own: its TypeORM
   * DataSource or DataSourceOptions (better-sqlite3 for now). Engage opens its own connection
   * from the host's settings and runs its migrations there; not together with `database`.
   */
  dataSource?: HostDataSource;
  /** Apply pending migrations when the module starts (default true). */
  migrationsRun?: boolean;
  /** Delivery settings: retries, concurrency and provider credentials (see the README). */
  delivery?: Partial<DeliveryConfig>;
}

/** What forRoot and forRootAsync take besides the options: known when the module is defined, as classes must be. */
export interface NotificationModuleExtras {
  /**
   * The host's own channel providers (classes implementing ChannelProvider), each a channel a
   * send may name, queued and delivered like webhook or slack. Nest creates them, so they inject
   * what the module offers (OutboundHttp, Clock), global providers and forRootAsync's `imports`.
   * One with a built-in channel's name replaces the built-in providers of that channel.
   */
  channels?: Type<ChannelProvider>[];
}

export const {
  ConfigurableModuleClass: NotificationConfigurableModule,
  MODULE_OPTIONS_TOKEN: NOTIFICATION_MODULE_OPTIONS,
  OPTIONS_TYPE: NOTIFICATION_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: NOTIFICATION_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<NotificationModuleOptions>()
  .setClassMethodName('forRoot')
  // NotificationModule.forRoot adds the channels (after the module database, which moves the definition's own providers).
  .setExtras<NotificationModuleExtras>({ channels: [] })
  .build();
