import webpush, { PushSubscription, WebPushError } from 'web-push';
import type { DeviceToken } from '../../entities/device-token.entity';
import type { Notification } from '../../entities/notification.entity';
import { DeliveryError } from '../delivery-error';
import { isRetryableStatus } from '../http-delivery';
import { DeadTokenError, PushSender, pushData } from './push-sender';

/** Web Push (RFC 8030) with VAPID, through the web-push package; the token is the subscription JSON. */
export class WebPushSender implements PushSender {
  readonly platform = 'web' as const;
  readonly name = 'web-push';

  constructor(private readonly vapid: { publicKey: string; privateKey: string; subject: string }) {}

  async send(device: DeviceToken, notification: Notification) {
    let subscription: PushSubscription;
    try {
      subscription = JSON.parse(device.token) as PushSubscription;
      if (!subscription?.endpoint || !subscription.keys?.p256dh || !subscription.keys?.auth) throw new Error('incomplete');
    } catch {
      throw new DeadTokenError('not a valid push subscription JSON');
    }
    const payload = JSON.stringify({ title: notification.title, body: notification.message, data: pushData(notification) });
    try {
      const result = await webpush.sendNotification(subscription, payload, {
        vapidDetails: this.vapid,
        TTL: 24 * 3600,
        urgency: notification.priority === 'urgent' || notification.priority === 'high' ? 'high' : 'normal',
        timeout: 10_000,
      });
      return { providerMessageId: result.headers?.location ?? null, statusCode: result.statusCode };
    } catch (error) {
      if (error instanceof WebPushError) {
        // 404 and 410 are the push service saying the subscription is gone for good.
        if (error.statusCode === 404 || error.statusCode === 410) throw new DeadTokenError(`push service answered ${error.statusCode}`);
        throw new DeliveryError(`web-push answered ${error.statusCode}: ${error.body?.slice(0, 200) ?? ''}`, isRetryableStatus(error.statusCode), error.statusCode);
      }
      throw new DeliveryError(`web-push: ${(error as Error).message}`, true);
    }
  }
}
