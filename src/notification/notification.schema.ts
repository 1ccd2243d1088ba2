import { notificationMigrations } from '../../migrations/notification';
import { NOTIFICATION_DATA_SOURCE } from '../database/data-source-names';
import type { ModuleSchema } from '../database/module-schema';
import { Notification } from './entities/notification.entity';
import { NotificationPreference } from './entities/notification-preference.entity';
import { NotificationTemplate } from './entities/notification-template.entity';
import { NotificationTemplateLocale } from './entities/notification-template-locale.entity';
import { DeviceToken } from './entities/device-token.entity';
import { NotificationDelivery } from './entities/notification-delivery.entity';
import { DeliveryJob } from './entities/delivery-job.entity';
import { UserContact } from './entities/user-contact.entity';
import { IdempotencyRecord } from './entities/idempotency-record.entity';
import { InboxCounter } from './entities/inbox-counter.entity';
import { NotificationSchedule } from './entities/notification-schedule.entity';
import { TopicSubscription } from './entities/topic-subscription.entity';
import { NotificationType } from './entities/notification-type.entity';
import { NotificationDigest } from './entities/notification-digest.entity';
import { DigestPreference } from './entities/digest-preference.entity';
import { ThrottleCounter } from './entities/throttle-counter.entity';
import { InboxEventRecord } from './stream/entities/inbox-event.entity';
import { InboxEventHead } from './stream/entities/inbox-event-head.entity';
import { StreamTicket } from './stream/entities/stream-ticket.entity';

/** The notification module's tables: its entities and the migrations that make them. */
export const NOTIFICATION_SCHEMA: ModuleSchema = {
  name: NOTIFICATION_DATA_SOURCE,
  entities: [
    Notification,
    NotificationPreference,
    NotificationTemplate,
    NotificationTemplateLocale,
    DeviceToken,
    NotificationDelivery,
    DeliveryJob,
    UserContact,
    IdempotencyRecord,
    InboxCounter,
    NotificationSchedule,
    TopicSubscription,
    NotificationType,
    InboxEventRecord,
    InboxEventHead,
    StreamTicket,
    NotificationDigest,
    DigestPreference,
    ThrottleCounter,
  ],
  migrations: notificationMigrations,
};
