import type { ChannelProvider, OutboundMessage, ProviderResult } from '../channel-provider';
import { DeliveryError } from '../delivery-error';
import { postToProvider } from '../http-delivery';
import { recipientPhone } from '../recipients';

/** SMS through Twilio's Messages REST API (or anything that speaks it, at TWILIO_BASE_URL). */
export class TwilioSmsProvider implements ChannelProvider {
  readonly channel = 'sms' as const;
  readonly name = 'twilio';

  constructor(private readonly config: { accountSid: string; authToken: string; from: string; baseUrl: string }) {}

  async send({ notification, contact }: OutboundMessage): Promise<ProviderResult> {
    const to = recipientPhone(notification, contact);
    if (!to) throw new DeliveryError('No phone number: set data.phone or the user contact phone', false);
    const { accountSid, authToken, from, baseUrl } = this.config;
    const response = await postToProvider(this.name, `${baseUrl.replace(/\/$/, '')}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, {
      headers: {
        Authorization: `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ To: to, From: from, Body: `${notification.title}\n${notification.message}` }).toString(),
    });
    const body = (await response.json().catch(() => ({}))) as { sid?: string };
    return { outcome: 'sent', statusCode: response.status, providerMessageId: body.sid ?? null };
  }
}
