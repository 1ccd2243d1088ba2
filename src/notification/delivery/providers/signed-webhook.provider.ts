import { createHmac } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import type { ChannelProvider, OutboundMessage, ProviderResult, RecipientSources } from '../channel-provider';
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
export class SignedWebhookProvider implements ChannelProvider<string> {
  readonly channel = 'webhook';
  readonly name = 'webhook';
  /** The title and message go out as JSON strings: the receiver decides how to show them. */
  readonly format = 'text';
  readonly recipientHint = 'webhook_url and WEBHOOK_DEFAULT_URL is not set';
  readonly setupHint: string | null;
  private readonly standard: Webhook | null;

  /** `secret` undefined: webhooks are not set up, and sends on them are refused with the setup hint. */
  constructor(
    private readonly secret: string | undefined,
    private readonly defaultUrl: string | undefined,
    private readonly now: () => Date,
    private readonly outbound: OutboundHttp,
  ) {
    this.standard = secret ? new Webhook(secret, { format: 'raw' }) : null;
    this.setupHint = secret ? null : 'set WEBHOOK_SIGNING_SECRET';
  }

  /** The user's webhook_url, else WEBHOOK_DEFAULT_URL. */
  async recipient({ contact }: RecipientSources): Promise<string | null> {
    return (await contact())?.webhookUrl ?? this.defaultUrl ?? null;
  }

  async send({ notification, recipient: url }: OutboundMessage<string>): Promise<ProviderResult> {
    if (!this.secret || !this.standard) throw new DeliveryError(`No provider is configured for webhook: ${this.setupHint}`, false);
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
