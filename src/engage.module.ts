import { DynamicModule, InjectionToken, Module, ModuleMetadata, OptionalFactoryDependency, Type } from '@nestjs/common';
import type { ActivityModuleOptions } from './activity/activity-module.definition';
import { ActivityModule } from './activity/activity.module';
import { AuthModule, type AuthModuleOptions } from './auth/auth.module';
import { ACTIVITY_SCHEMA } from './activity/activity.schema';
import { AUTH_SCHEMA } from './auth/auth.schema';
import { hostDatabase, type HostDataSource } from './database/host-data-source';
import { checkedHostDatabase } from './database/module-database';
import { NOTIFICATION_SCHEMA } from './notification/notification.schema';
import type { ChannelProvider } from './notification/delivery/channel-provider';
import type { NotificationModuleOptions } from './notification/notification-module.definition';
import { NotificationModule } from './notification/notification.module';
import { PrivacyModule } from './privacy/privacy.module';

/** Everything a host configures, by module; each part may be left out for its defaults and the environment. */
export interface EngageModuleOptions {
  /** Credentials: Engage's API keys and user tokens, or the host's own (`resolvePrincipal`). */
  auth?: AuthModuleOptions;
  activity?: ActivityModuleOptions;
  notification?: NotificationModuleOptions;
  /**
   * The host's database for all of Engage's tables, unless a part sets its own `dataSource`: the
   * host's TypeORM DataSource (forRootAsync with `inject: [getDataSourceToken()]`) or
   * DataSourceOptions, better-sqlite3 for now. Engage opens its own connections from the host's
   * settings (never queries on the host's DataSource) and runs its migrations there.
   */
  dataSource?: HostDataSource;
  /** The host's own channel providers (see NotificationModule's `channels`). */
  channels?: Type<ChannelProvider>[];
}

export interface EngageModuleAsyncOptions {
  /** The host's own channel providers: classes, so given here rather than by the factory. */
  channels?: Type<ChannelProvider>[];
  imports?: ModuleMetadata['imports'];
  inject?: Array<InjectionToken | OptionalFactoryDependency>;
  useFactory: (...args: never[]) => EngageModuleOptions | Promise<EngageModuleOptions>;
}

/** DI token of the EngageModuleOptions in force: forRoot's, or what forRootAsync's factory returned. */
export const ENGAGE_MODULE_OPTIONS = Symbol('ENGAGE_MODULE_OPTIONS');

/** Holds forRootAsync's options, computed once, for the modules that take their part of them. */
@Module({})
class EngageOptionsModule {}

/**
 * Engage inside a host app, imported once: credentials (AuthModule), tracking (ActivityModule),
 * notifications (NotificationModule) and the data-rights routes over both (PrivacyModule). Every
 * route it adds is authenticated, rate limited, validated and answers in Engage's error shape on
 * its own (see EngageController); nothing it registers touches the host's routes.
 */
@Module({})
export class EngageModule {
  static forRoot(options: EngageModuleOptions = {}): DynamicModule {
    // forRootAsync's path, so that the options are checked and handed down in one place, at boot.
    return EngageModule.forRootAsync({ channels: options.channels, useFactory: () => options });
  }

  static forRootAsync(options: EngageModuleAsyncOptions): DynamicModule {
    const holder: DynamicModule = {
      module: EngageOptionsModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: ENGAGE_MODULE_OPTIONS,
          useFactory: async (...args: unknown[]) =>
            checkedDataSource(await (options.useFactory as (...args: unknown[]) => EngageModuleOptions)(...args)),
          inject: options.inject ?? [],
        },
      ],
      exports: [ENGAGE_MODULE_OPTIONS],
    };
    const part = <K extends 'auth' | 'activity' | 'notification'>(key: K) => ({
      imports: [holder],
      inject: [ENGAGE_MODULE_OPTIONS],
      useFactory: (engage: EngageModuleOptions) => withDataSource(engage[key] ?? {}, engage.dataSource),
    });
    return EngageModule.assemble([
      AuthModule.forRootAsync(part('auth')),
      ActivityModule.forRootAsync(part('activity')),
      NotificationModule.forRootAsync({ ...part('notification'), channels: options.channels }),
    ]);
  }

  private static assemble(modules: DynamicModule[]): DynamicModule {
    return { module: EngageModule, imports: [...modules, PrivacyModule.register(modules)], exports: modules };
  }
}

/**
 * The options, once every part's database is known to be usable: the errors name EngageModule's
 * options, and a part that cannot go in the host's database stops the boot before any part has
 * made its tables there.
 */
function checkedDataSource(engage: EngageModuleOptions): EngageModuleOptions {
  if (engage.dataSource != null) hostDatabase(engage.dataSource, 'EngageModule dataSource');
  const parts = [
    {
      key: 'auth',
      schema: AUTH_SCHEMA,
      databaseOption: 'auth.config.database',
      database: engage.auth?.config?.database,
      own: engage.auth?.dataSource,
    },
    {
      key: 'activity',
      schema: ACTIVITY_SCHEMA,
      databaseOption: 'activity.database',
      database: engage.activity?.database,
      own: engage.activity?.dataSource,
    },
    {
      key: 'notification',
      schema: NOTIFICATION_SCHEMA,
      databaseOption: 'notification.database',
      database: engage.notification?.database,
      own: engage.notification?.dataSource,
    },
  ];
  for (const part of parts) {
    checkedHostDatabase(part.schema, {
      owner: EngageModule.name,
      databaseOption: part.databaseOption,
      dataSourceOption: part.own != null ? `${part.key}.dataSource` : 'dataSource',
      database: part.database,
      dataSource: part.own ?? engage.dataSource,
    });
  }
  return engage;
}

/** A part's options, with EngageModule's `dataSource` unless the part has its own. */
function withDataSource<T extends { dataSource?: HostDataSource }>(part: T, dataSource: HostDataSource | undefined): T {
  return part.dataSource == null && dataSource != null ? { ...part, dataSource } : part;
}
