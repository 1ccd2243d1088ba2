import type { DeviceToken } from '../../entities/device-token.entity';
import type { Notification } from '../../entities/notification.entity';

/** A push service's answer that the token will never work again: deactivate it, do not retry. */
export class DeadTokenError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DeadTokenError';
  }
}

/**
 * Sends one notification to one device of its platform; throws DeliveryError (with the provider's
 * message id when the service gave one even in failing) or DeadTokenError. Where the service takes
 * a client id (APNs), it is derived from the notification and the device, never drawn at random,
 * so every retry of the same delivery carries it.
 */
export interface PushSender {
  readonly platform: DeviceToken['platform'];
  readonly name: string;
  send(device: DeviceToken, notification: Notification): Promise<{ providerMessageId: string | null; statusCode: number | null }>;
}

/** The data a push payload carries, as strings (FCM requires string values). */
export function pushData(notification: Notification): Record<string, string> {
  const data: Record<string, string> = { notification_id: notification.id, notification_type: notification.notificationType };
  for (const [key, value] of Object.entries(notification.data ?? {})) {
    data[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return data;
}
