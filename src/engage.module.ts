import { DynamicModule, InjectionToken, Module, ModuleMetadata, OptionalFactoryDependency, Type } from '@nestjs/common';
import type { ActivityModuleOptions } from './activity/activity-module.definition';
import { ActivityModule } from './activity/activity.module';
import { AuthModule, type AuthModuleOptions } from './auth/auth.module';
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

/** DI token of the EngageModuleOptions that forRootAsync's factory returned. */
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
    return EngageModule.assemble([
      AuthModule.forRoot(options.auth),
      ActivityModule.forRoot(options.activity ?? {}),
      NotificationModule.forRoot({ ...options.notification, channels: options.channels }),
    ]);
  }

  static forRootAsync(options: EngageModuleAsyncOptions): DynamicModule {
    const holder: DynamicModule = {
      module: EngageOptionsModule,
      imports: options.imports ?? [],
      providers: [
        {
          provide: ENGAGE_MODULE_OPTIONS,
          useFactory: options.useFactory as (...args: unknown[]) => EngageModuleOptions,
          inject: options.inject ?? [],
        },
      ],
      exports: [ENGAGE_MODULE_OPTIONS],
    };
    const part = <K extends keyof EngageModuleOptions>(key: K) => ({
      imports: [holder],
      inject: [ENGAGE_MODULE_OPTIONS],
      useFactory: (engage: EngageModuleOptions) => (engage[key] ?? {}) as NonNullable<EngageModuleOptions[K]>,
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
