import { Logger } from '@nestjs/common';
import { Agent } from 'node:https';
import { STATUS_CODES } from 'node:http';
import webpush, { PushSubscription, WebPushError } from 'web-push';
import { OutboundDeniedError, OutboundPolicy } from '../../../common/outbound/outbound-policy';
import type { DeviceToken } from '../../entities/device-token.entity';
import type { Notification } from '../../entities/notification.entity';
import { DeliveryError } from '../delivery-error';
import { isRetryableStatus } from '../http-delivery';
import { DeadTokenError, PushSender, pushData } from './push-sender';

/** Web Push (RFC 8030) with VAPID, through the web-push package; the token is the subscription JSON. */
export class WebPushSender implements PushSender {
  readonly platform = 'web' as const;
  readonly name = 'web-push';

  private readonly log = new Logger(WebPushSender.name);
  /** Connects only to addresses the outbound policy allows (the endpoint is the browser's, so anyone's). */
  private readonly agent: Agent;

  constructor(
    private readonly vapid: { publicKey: string; privateKey: string; subject: string },
    private readonly policy: OutboundPolicy,
  ) {
    this.agent = new Agent({ lookup: policy.lookup as never, keepAlive: true });
  }

  async send(device: DeviceToken, notification: Notification) {
    let subscription: PushSubscription;
    try {
      subscription = JSON.parse(device.token) as PushSubscription;
      if (!subscription?.endpoint || !subscription.keys?.p256dh || !subscription.keys?.auth) throw new Error('incomplete');
    } catch {
      throw new DeadTokenError('not a valid push subscription JSON');
    }
    try {
      this.policy.checkUrl(subscription.endpoint);
    } catch (error) {
      throw new DeadTokenError(`the push endpoint ${(error as Error).message}`);
    }
    const payload = JSON.stringify({ title: notification.title, body: notification.message, data: pushData(notification) });
    try {
      const result = await webpush.sendNotification(subscription, payload, {
        vapidDetails: this.vapid,
        TTL: 24 * 3600,
        urgency: notification.priority === 'urgent' || notification.priority === 'high' ? 'high' : 'normal',
        timeout: 10_000,
        agent: this.agent,
      });
      return { providerMessageId: result.headers?.location ?? null, statusCode: result.statusCode };
    } catch (error) {
      if (error instanceof WebPushError) {
        // 404 and 410 are the push service saying the subscription is gone for good.
        if (error.statusCode === 404 || error.statusCode === 410) throw new DeadTokenError(`push service answered ${error.statusCode}`);
        // What the endpoint said stays in the debug log: the endpoint is whoever registered it.
        this.log.debug(`push service answered ${error.statusCode}: ${error.body?.slice(0, 500) ?? ''}`);
        const reason = `${error.statusCode} ${STATUS_CODES[error.statusCode] ?? ''}`.trim();
        throw new DeliveryError(`web-push answered ${reason}`, isRetryableStatus(error.statusCode), error.statusCode);
      }
      if (error instanceof OutboundDeniedError || (error as { cause?: unknown }).cause instanceof OutboundDeniedError) {
        throw new DeadTokenError(`the push endpoint's host ${(error as Error).message}`);
      }
      this.log.debug(`web-push failed: ${(error as Error).message}`);
      throw new DeliveryError('web-push: could not connect', true);
    }
  }
}
