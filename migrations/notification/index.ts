import { AddDigests1765000000000 } from './1765000000000-add-digests';
import { AddQuietHours1764900000000 } from './1764900000000-add-quiet-hours';
import { AddTopics1764800000000 } from './1764800000000-add-topics';
import { InboxState1764500000000 } from './1764500000000-inbox-state';
import { CreateNotificationSchema1764140000000 } from './1764140000000-create-notification-schema';
import { AddDelivery1764160000000 } from './1764160000000-add-delivery';
import { AddIdempotencyUser1764300000000 } from './1764300000000-add-idempotency-user';
import { DeliveryAttemptInFlight1764310000000 } from './1764310000000-delivery-attempt-in-flight';
import { AddNotificationTypes1764400000000 } from './1764400000000-add-notification-types';
import { InboxEvents1764600000000 } from './1764600000000-inbox-events';
import { AddTemplateLocales1764700000000 } from './1764700000000-add-template-locales';

/** The notification database's migrations, oldest first. Listed explicitly so every runtime finds them. */
export const notificationMigrations = [
  CreateNotificationSchema1764140000000,
  AddDelivery1764160000000,
  AddIdempotencyUser1764300000000,
  DeliveryAttemptInFlight1764310000000,
  AddNotificationTypes1764400000000,
  InboxState1764500000000,
  InboxEvents1764600000000,
  AddTemplateLocales1764700000000,
  AddTopics1764800000000,
  AddQuietHours1764900000000,
  AddDigests1765000000000,
];
