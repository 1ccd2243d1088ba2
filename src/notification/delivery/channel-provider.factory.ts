import type { DeliveryConfig } from '../../config/delivery.config';
import type { DeviceToken } from '../entities/device-token.entity';
import type { ChannelProvider } from './channel-provider';
import type { OutboundHttp } from './outbound-http';
import { PushProvider } from './providers/push.provider';
import { SignedWebhookProvider } from './providers/signed-webhook.provider';
import { SlackWebhookProvider } from './providers/slack-webhook.provider';
import { SmtpEmailProvider } from './providers/smtp-email.provider';
import { TwilioSmsProvider } from './providers/twilio-sms.provider';
import { ApnsSender } from './push/apns.sender';
import { FcmSender } from './push/fcm.sender';
import type { PushSender } from './push/push-sender';
import { WebPushSender } from './push/web-push.sender';

/** The providers the configuration enables, in failover order per channel. */
export function buildChannelProviders(
  config: DeliveryConfig,
  deactivateDevice: (device: DeviceToken, reason: string) => Promise<void>,
  now: () => Date,
  outbound: OutboundHttp,
): ChannelProvider[] {
  const providers: ChannelProvider[] = [];
  if (config.emailFrom) {
    for (const url of config.smtpUrls) providers.push(new SmtpEmailProvider(url, config.emailFrom));
  }
  if (config.twilio) providers.push(new TwilioSmsProvider(config.twilio));
  const senders: PushSender[] = [];
  if (config.vapid) senders.push(new WebPushSender(config.vapid, outbound.policy));
  if (config.fcm) senders.push(new FcmSender(config.fcm.serviceAccount, config.fcm.baseUrl));
  if (config.apns) senders.push(new ApnsSender(config.apns));
  if (senders.length > 0) providers.push(new PushProvider(senders, deactivateDevice));
  providers.push(new SlackWebhookProvider(outbound));
  if (config.webhook.signingSecret) providers.push(new SignedWebhookProvider(config.webhook.signingSecret, config.webhook.defaultUrl, now, outbound));
  return providers;
}

/** What to set to enable a channel, for the 422 of a send to an unconfigured channel. */
export const CHANNEL_SETUP_HINTS: Record<string, string> = {
  email: 'set SMTP_URL and EMAIL_FROM',
  sms: 'set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM',
  push: 'set VAPID_PUBLIC_KEY/VAPID_PRIVATE_KEY/VAPID_SUBJECT (web), FCM_SERVICE_ACCOUNT (android) or APNS_KEY/APNS_KEY_ID/APNS_TEAM_ID/APNS_TOPIC (ios)',
  slack: 'Slack needs no server setting, only a slack_webhook_url per user',
  webhook: 'set WEBHOOK_SIGNING_SECRET',
};
