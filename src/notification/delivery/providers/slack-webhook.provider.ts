import type { ChannelProvider, OutboundMessage, ProviderResult } from '../channel-provider';
import { DeliveryError } from '../delivery-error';
import type { OutboundHttp } from '../outbound-http';
import { recipientSlackUrl } from '../recipients';

/** Slack through the user's incoming-webhook URL, under the outbound policy. */
export class SlackWebhookProvider implements ChannelProvider {
  readonly channel = 'slack' as const;
  readonly name = 'slack-webhook';

  constructor(private readonly outbound: OutboundHttp) {}

  async send({ notification, contact }: OutboundMessage): Promise<ProviderResult> {
    const url = recipientSlackUrl(notification, contact);
    if (!url) throw new DeliveryError('No Slack webhook: set data.slack_webhook_url or the user contact slack_webhook_url', false);
    const response = await this.outbound.post(this.name, url, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: `*${notification.title}*\n${notification.message}` }),
    });
    return { outcome: 'sent', statusCode: response.status };
  }
}
