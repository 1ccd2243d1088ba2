import { Logger } from '@nestjs/common';
import type { Agent } from 'node:https';
import { GuardedHttpsAgent } from '../../../common/outbound/guarded-https-agent';
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
    this.agent = new GuardedHttpsAgent(policy);
  }

  async send(device: DeviceToken, notification: Notification) {
    let subscription: PushSubscription;
    try {
      subscription = JSON.parse(device.token) as PushSubscription;
      if (!subscription?.endpoint || !subscription.keys?.p256dh || !subscription.keys?.auth) throw new Error('incomplete');
    } catch {
      throw new DeadTokenError('not a valid push subscription JSON');
    }
    let endpoint: URL;
    try {
      endpoint = this.policy.checkUrl(subscription.endpoint);
    } catch (error) {
      throw new DeadTokenError(`the push endpoint ${(error as Error).message}`);
    }
    // web-push parses the endpoint again with Node's legacy parser: hand it the URL that was checked.
    subscription = { ...subscription, endpoint: endpoint.href };
    const payload = JSON.stringify({ title: notification.title, body: notification.message, data: pushData(notification) });
    try {
      const result = await webpush.sendNotification(subscription, payload, {
        vapidDetails: this.vapid,
        TTL: 24 * 3600,
        urgency: notification.priority === 'urgent' || notification.priority === 'high' ? 'high' : 'normal',
        timeout: 10_000,
        agent: this.agent,
      });
      return { providerMessageId: messageLocation(result.headers?.location, endpoint), statusCode: result.statusCode };
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

/**
 * The push service's id of the message (its Location header), kept only when it is a URL on the
 * endpoint's own origin: whatever else the endpoint's owner put there is not ours to show.
 */
function messageLocation(location: string | undefined, endpoint: URL): string | null {
  if (!location || location.length > 500) return null;
  try {
    return new URL(location, endpoint).origin === endpoint.origin ? location : null;
  } catch {
    return null;
  }
}
