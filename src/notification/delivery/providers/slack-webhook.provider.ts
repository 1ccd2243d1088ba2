import type { ChannelProvider, OutboundMessage, ProviderResult, RecipientSources } from '../channel-provider';
import type { OutboundHttp } from '../outbound-http';
import { contactHint, recipientSlackUrl } from '../recipients';

/**
 * Slack through the user's incoming-webhook URL, under the outbound policy. It needs no server
 * setting. Its text is Slack's mrkdwn: the title goes out in bold.
 */
export class SlackWebhookProvider implements ChannelProvider<string> {
  readonly channel = 'slack';
  readonly name = 'slack-webhook';
  readonly format = 'mrkdwn';
  readonly setupHint = null;
  readonly recipientHint = contactHint('Slack webhook', 'slack_webhook_url');

  constructor(private readonly outbound: OutboundHttp) {}

  async recipient({ data, contact }: RecipientSources): Promise<string | null> {
    return recipientSlackUrl(data, await contact());
  }

  async send({ notification, recipient: url }: OutboundMessage<string>): Promise<ProviderResult> {
    const response = await this.outbound.post(this.name, url, {
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ text: `*${notification.title}*\n${notification.message}` }),
    });
    return { outcome: 'sent', statusCode: response.status };
  }
}
