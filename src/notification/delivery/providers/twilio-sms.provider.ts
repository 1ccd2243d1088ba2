import type { ChannelProvider, OutboundMessage, ProviderResult, RecipientSources } from '../channel-provider';
import { DeliveryError } from '../delivery-error';
import { postToProvider } from '../http-delivery';
import { contactHint, recipientPhone } from '../recipients';

/** SMS through Twilio's Messages REST API (or anything that speaks it, at TWILIO_BASE_URL). */
export class TwilioSmsProvider implements ChannelProvider<string> {
  readonly channel = 'sms';
  readonly name = 'twilio';
  readonly format = 'text';
  readonly recipientHint = contactHint('phone number', 'phone');
  readonly setupHint: string | null;

  /** `config` null: SMS is not set up, and sends on it are refused with the setup hint. */
  constructor(private readonly config: { accountSid: string; authToken: string; from: string; baseUrl: string } | null) {
    this.setupHint = config ? null : 'set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM';
  }

  async recipient({ data, contact }: RecipientSources): Promise<string | null> {
    return recipientPhone(data, await contact());
  }

  async send({ notification, recipient: to }: OutboundMessage<string>): Promise<ProviderResult> {
    if (!this.config) throw new DeliveryError(`No provider is configured for sms: ${this.setupHint}`, false);
    const { accountSid, authToken, from, baseUrl } = this.config;
    const response = await postToProvider(
      this.name,
      `${baseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`,
      {
        headers: {
          Authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ To: to, From: from, Body: `${notification.title}\n${notification.message}` }).toString(),
      },
    );
    const body = (await response.json().catch(() => ({}))) as { sid?: string };
    return { outcome: 'sent', statusCode: response.status, providerMessageId: body.sid ?? null };
  }
}
