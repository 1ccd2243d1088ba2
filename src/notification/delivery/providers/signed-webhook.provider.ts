import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { ChannelProvider, OutboundMessage, ProviderResult } from '../channel-provider';
import { DeliveryError } from '../delivery-error';
import type { OutboundHttp } from '../outbound-http';

/** Hex HMAC-SHA256 over `<timestamp>.<raw body>`: what X-Engage-Signature carries. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/**
 * POSTs the notification as JSON to the user's webhook_url (or a default), under the outbound
 * policy, signed two ways: the Standard Webhooks headers (`webhook-id`, `webhook-timestamp`,
 * `webhook-signature`, through the `standardwebhooks` package, with the secret's bytes (ASCII) as
 * the key), and for one more release the original X-Engage-Timestamp and X-Engage-Signature.
 * `webhook-id` is the notification's id: the same on every retry and after a crash, so a receiver
 * that sees it twice knows it is the same message (delivery is at least once).
 */
export class SignedWebhookProvider implements ChannelProvider {
  readonly channel = 'webhook' as const;
  readonly name = 'webhook';
  private readonly standard: Webhook;

  constructor(
    private readonly secret: string,
    private readonly defaultUrl: string | undefined,
    private readonly now: () => Date,
    private readonly outbound: OutboundHttp,
  ) {
    this.standard = new Webhook(secret, { format: 'raw' });
  }

  async send({ notification, contact }: OutboundMessage): Promise<ProviderResult> {
    const url = contact?.webhookUrl ?? this.defaultUrl;
    if (!url) throw new DeliveryError('No webhook URL: set the user contact webhook_url or WEBHOOK_DEFAULT_URL', false);
    const body = JSON.stringify({
      id: notification.id,
      user_id: notification.userId,
      title: notification.title,
      message: notification.message,
      notification_type: notification.notificationType,
      priority: notification.priority,
      data: notification.data,
      created_at: notification.createdAt.toISOString(),
    });
    const at = this.now();
    const timestamp = String(Math.floor(at.getTime() / 1000));
    const response = await this.outbound.post(this.name, url, {
      headers: {
        'Content-Type': 'application/json',
        'webhook-id': notification.id,
        'webhook-timestamp': timestamp,
        'webhook-signature': this.standard.sign(notification.id, at, body),
        'X-Engage-Timestamp': timestamp,
        'X-Engage-Signature': webhookSignature(this.secret, timestamp, body),
      },
      body,
    });
    return { outcome: 'delivered', statusCode: response.status, providerMessageId: notification.id };
  }
}
