import { createHmac } from 'node:crypto';
import type { ChannelProvider, OutboundMessage, ProviderResult } from '../channel-provider';
import { DeliveryError } from '../delivery-error';
import type { OutboundHttp } from '../outbound-http';

/** Hex HMAC-SHA256 over `<timestamp>.<raw body>`: what X-Engage-Signature carries. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** POSTs the notification as JSON to the user's webhook_url (or a default), signed, under the outbound policy. */
export class SignedWebhookProvider implements ChannelProvider {
  readonly channel = 'webhook' as const;
  readonly name = 'webhook';

  constructor(
    private readonly secret: string,
    private readonly defaultUrl: string | undefined,
    private readonly now: () => Date,
    private readonly outbound: OutboundHttp,
  ) {}

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
    const timestamp = String(Math.floor(this.now().getTime() / 1000));
    const response = await this.outbound.post(this.name, url, {
      headers: {
        'Content-Type': 'application/json',
        'X-Engage-Timestamp': timestamp,
        'X-Engage-Signature': webhookSignature(this.secret, timestamp, body),
      },
      body,
    });
    return { outcome: 'delivered', statusCode: response.status };
  }
}
