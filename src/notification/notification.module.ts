import { DynamicModule, Module, Type } from '@nestjs/common';
import { getDataSourceToken, TypeOrmModule } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { CommonModule } from '../common/common.module';
import { NOTIFICATION_DATA_SOURCE } from '../database/data-source-names';
import { NOTIFICATION_SCHEMA } from './notification.schema';
import { withModuleDatabase } from '../database/module-database';
import { DatabaseMonitor } from '../database/database-monitor';
import { DatabaseMonitorModule } from '../database/database-monitor.module';
import { TransactionRunner } from '../database/engine/transaction-runner';
import { WalCheckpointer } from '../database/engine/wal-checkpointer';
import { Clock } from '../common/clock';
import { ContactController } from './contacts/contact.controller';
import { ContactService } from './contacts/contact.service';
import { NotificationUserDataService } from './user-data/notification-user-data.service';
import { CHANNEL_PROVIDERS, ChannelProvider, REGISTERED_CHANNEL_PROVIDERS } from './delivery/channel-provider';
import { buildChannelProviders, withRegisteredProviders } from './delivery/channel-provider.factory';
import { ChannelRegistry } from './delivery/channel-registry';
import { OutboundHttp } from './delivery/outbound-http';
import { OutboundPolicy } from '../common/outbound/outbound-policy';
import { DeliveryDispatcherService } from './delivery/delivery-dispatcher.service';
import { DELIVERY_QUEUE } from './delivery/delivery-queue';
import type { DeliveryQueue } from './delivery/delivery-queue';
import { RedisDeliveryQueueService } from './delivery/redis-delivery-queue.service';
import { DeliveryPlannerService } from './delivery/delivery-planner.service';
import { RedeliveryService } from './delivery/redelivery.service';
import { DeliveryMetricsService } from './delivery/delivery-metrics.service';
import { DELIVERY_SETTINGS, deliverySettings } from './delivery/delivery-settings';
import { DeliveryWorkerService } from './delivery/delivery-worker.service';
import { DeviceController } from './devices/device.controller';
import { IdempotencyService } from './idempotency/idempotency.service';
import { DeliveryJobRepository } from './repositories/delivery-job.repository';
import { IdempotencyRepository } from './repositories/idempotency.repository';
import { NotificationDeliveryRepository } from './repositories/notification-delivery.repository';
import { UserContactRepository } from './repositories/user-contact.repository';
import type { DeliveryConfig } from '../config/delivery.config';
import type { NotificationModuleOptions } from './notification-module.definition';
import { DeviceService } from './devices/device.service';
import {
  NOTIFICATION_ASYNC_OPTIONS_TYPE,
  NOTIFICATION_MODULE_OPTIONS,
  NOTIFICATION_OPTIONS_TYPE,
  NotificationConfigurableModule,
} from './notification-module.definition';
import { NotificationSchedulerService } from './notification-scheduler.service';
import { NotificationController } from './notification.controller';
import { NotificationLegacyController } from './notification-legacy.controller';
import { NotificationService } from './notification.service';
import { ScheduleController } from './schedule/schedule.controller';
import { QuietHoursService } from './schedule/quiet-hours.service';
import { ScheduleService } from './schedule/schedule.service';
import { DigestPolicyService } from './digest/digest-policy.service';
import { DigestService } from './digest/digest.service';
import { DigestPreferenceRepository } from './repositories/digest-preference.repository';
import { NotificationDigestRepository } from './repositories/notification-digest.repository';
import { ThrottleCounterRepository } from './repositories/throttle-counter.repository';
import { NotificationScheduleRepository } from './repositories/notification-schedule.repository';
import { FanOutService } from './fan-out/fan-out.service';
import { TopicController } from './topics/topic.controller';
import { TopicService } from './topics/topic.service';
import { TopicSubscriptionRepository } from './repositories/topic-subscription.repository';
import { NotificationStore } from './notification-store.service';
import { NOTIFICATION_TRANSACTIONS } from './notification.tokens';
import { PreferenceController } from './preferences/preference.controller';
import { PreferenceService } from './preferences/preference.service';
import { NotificationTypeController } from './notification-types/notification-type.controller';
import { NotificationTypeService } from './notification-types/notification-type.service';
import { NotificationTypeRepository } from './repositories/notification-type.repository';
import { DeviceTokenRepository } from './repositories/device-token.repository';
import { NotificationPreferenceRepository } from './repositories/notification-preference.repository';
import { NotificationTemplateRepository } from './repositories/notification-template.repository';
import { NotificationTemplateLocaleRepository } from './repositories/notification-template-locale.repository';
import { NotificationRepository } from './repositories/notification.repository';
import { NotificationContentService } from './templates/notification-content.service';
import { TemplateController } from './templates/template.controller';
import { TemplateLocaleController } from './templates/template-locale.controller';
import { TemplateRenderer } from './templates/template-renderer';
import { TemplateService } from './templates/template.service';
import { InboxController } from './inbox/inbox.controller';
import { InboxService } from './inbox/inbox.service';
import { InboxCounterRepository } from './repositories/inbox-counter.repository';
import { AuthGuard } from '../auth/auth.guard';
import { INBOX_EVENT_BUS, type InboxEventBus } from './stream/inbox-event-bus';
import { InboxEventLogRepository } from './stream/inbox-event-log.repository';
import { InboxEventsService } from './stream/inbox-events.service';
import { LocalInboxEventBus } from './stream/local-inbox-event-bus';
import { NotificationStreamController } from './stream/notification-stream.controller';
import { NotificationStreamService } from './stream/notification-stream.service';
import { RedisInboxEventBus } from './stream/redis-inbox-event-bus';
import { StreamRetentionService } from './stream/stream-retention.service';
import { StreamTicketController } from './stream/stream-ticket.controller';
import { StreamTicketRepository } from './stream/stream-ticket.repository';
import { StreamTicketService } from './stream/stream-ticket.service';

const DEFAULTS = { database: 'notifications.db', migrationsRun: true };

/** Notifications: sending, inbox, preferences, templates and device tokens, on the module's own database or the host's. */
@Module({
  imports: [CommonModule, DatabaseMonitorModule, TypeOrmModule.forFeature(NOTIFICATION_SCHEMA.entities, NOTIFICATION_DATA_SOURCE)],
  // NotificationTypeController, TemplateController and PreferenceController come first: their
  // literal paths must win over NotificationController's parameterised ones.
  controllers: [
    NotificationTypeController,
    // Before TemplateController only so the OpenAPI document lists a variant's paths before its
    // template's, and Try it out deletes the example variant before the example template.
    TemplateLocaleController,
    TemplateController,
    PreferenceController,
    NotificationController,
    ScheduleController,
    TopicController,
    InboxController,
    DeviceController,
    ContactController,
    NotificationStreamController,
    StreamTicketController,
    // Last: its deprecated `{id}/…` paths must not take a literal route (`user/deliveries`).
    NotificationLegacyController,
  ],
  providers: [
    NotificationService,
    QuietHoursService,
    ScheduleService,
    NotificationScheduleRepository,
    DigestPolicyService,
    DigestService,
    DigestPreferenceRepository,
    NotificationDigestRepository,
    ThrottleCounterRepository,
    FanOutService,
    TopicService,
    TopicSubscriptionRepository,
    NotificationStore,
    NotificationContentService,
    NotificationSchedulerService,
    PreferenceService,
    NotificationTypeService,
    TemplateService,
    TemplateRenderer,
    DeviceService,
    NotificationRepository,
    NotificationPreferenceRepository,
    NotificationTypeRepository,
    NotificationTemplateRepository,
    NotificationTemplateLocaleRepository,
    DeviceTokenRepository,
    DeliveryJobRepository,
    NotificationDeliveryRepository,
    UserContactRepository,
    IdempotencyRepository,
    InboxCounterRepository,
    InboxService,
    ContactService,
    NotificationUserDataService,
    IdempotencyService,
    ChannelRegistry,
    DeliveryPlannerService,
    RedeliveryService,
    DeliveryMetricsService,
    DeliveryWorkerService,
    DeliveryDispatcherService,
    RedisDeliveryQueueService,
    InboxEventLogRepository,
    InboxEventsService,
    NotificationStreamService,
    StreamTicketRepository,
    StreamTicketService,
    StreamRetentionService,
    // The stream's guard (StreamAuthGuard) hands AuthGuard every request that has no ticket.
    AuthGuard,
    {
      // One process's streams, or (REDIS_URL) every process's: the same Redis as the delivery queue.
      provide: INBOX_EVENT_BUS,
      useFactory: (settings: DeliveryConfig): InboxEventBus =>
        settings.redis ? new RedisInboxEventBus(settings.redis) : new LocalInboxEventBus(),
      inject: [DELIVERY_SETTINGS],
    },
    {
      // A plain object, not the service itself: a provider value with lifecycle hooks would have
      // them called twice (once per token).
      provide: DELIVERY_QUEUE,
      useFactory: (settings: DeliveryConfig, embedded: DeliveryDispatcherService, redis: RedisDeliveryQueueService): DeliveryQueue => {
        const queue = settings.redis ? redis : embedded;
        return { schedule: (job) => queue.schedule(job) };
      },
      inject: [DELIVERY_SETTINGS, DeliveryDispatcherService, RedisDeliveryQueueService],
    },
    {
      provide: DELIVERY_SETTINGS,
      useFactory: (options: NotificationModuleOptions) => deliverySettings(options.delivery),
      inject: [NOTIFICATION_MODULE_OPTIONS],
    },
    {
      // The built-in providers, with the host's (forRoot's `channels`) added or in their place.
      provide: CHANNEL_PROVIDERS,
      useFactory: (
        settings: DeliveryConfig,
        devices: DeviceTokenRepository,
        clock: Clock,
        outbound: OutboundHttp,
        transactions: TransactionRunner,
        registered: ChannelProvider[],
      ) =>
        withRegisteredProviders(
          buildChannelProviders(
            settings,
            (device) => transactions.run((tx) => devices.deactivate(tx, device.id)),
            () => clock.now(),
            outbound,
          ),
          registered,
        ),
      inject: [DELIVERY_SETTINGS, DeviceTokenRepository, Clock, OutboundHttp, NOTIFICATION_TRANSACTIONS, REGISTERED_CHANNEL_PROVIDERS],
    },
    // The one rule for every URL Engage calls on a user's behalf (webhooks, Slack, Web Push).
    {
      provide: OutboundPolicy,
      useFactory: (settings: DeliveryConfig) => new OutboundPolicy(settings.outbound),
      inject: [DELIVERY_SETTINGS],
    },
    { provide: OutboundHttp, useFactory: (policy: OutboundPolicy) => new OutboundHttp(policy), inject: [OutboundPolicy] },
    {
      provide: NOTIFICATION_TRANSACTIONS,
      useFactory: (dataSource: DataSource, monitor: DatabaseMonitor) =>
        new TransactionRunner(dataSource, { database: NOTIFICATION_DATA_SOURCE, monitor }),
      inject: [getDataSourceToken(NOTIFICATION_DATA_SOURCE), DatabaseMonitor],
    },
    {
      provide: WalCheckpointer,
      useFactory: (dataSource: DataSource) => new WalCheckpointer(dataSource, { database: NOTIFICATION_DATA_SOURCE }),
      inject: [getDataSourceToken(NOTIFICATION_DATA_SOURCE)],
    },
  ],
  exports: [NotificationService, PreferenceService, NotificationTypeService, TemplateService, DeviceService, NotificationUserDataService],
})
export class NotificationModule extends NotificationConfigurableModule {
  static override forRoot(options: typeof NOTIFICATION_OPTIONS_TYPE = {}): DynamicModule {
    return withChannels(
      withModuleDatabase(super.forRoot(options), NOTIFICATION_MODULE_OPTIONS, NOTIFICATION_SCHEMA, NotificationModule.name, DEFAULTS),
      options.channels,
    );
  }

  static override forRootAsync(options: typeof NOTIFICATION_ASYNC_OPTIONS_TYPE): DynamicModule {
    const module = withModuleDatabase(
      super.forRootAsync(options),
      NOTIFICATION_MODULE_OPTIONS,
      NOTIFICATION_SCHEMA,
      NotificationModule.name,
      DEFAULTS,
    );
    // The host's channel providers may inject what `imports` provides, as its factory may.
    return withChannels({ ...module, imports: [...(module.imports ?? []), ...(options.imports ?? [])] }, options.channels);
  }
}

/** Makes the host's channel provider classes providers of the module, listed under one token. */
function withChannels(module: DynamicModule, channels: Type<ChannelProvider>[] = []): DynamicModule {
  return {
    ...module,
    providers: [
      ...(module.providers ?? []),
      ...channels,
      { provide: REGISTERED_CHANNEL_PROVIDERS, useFactory: (...providers: ChannelProvider[]) => providers, inject: channels },
    ],
  };
}
