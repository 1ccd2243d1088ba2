import type { DeliveryConfig } from '../../config/delivery.config';
import type { DeviceToken } from '../entities/device-token.entity';
import { CHANNEL_NAME_PATTERN, IN_APP } from './channel-name';
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

/**
 * Every built-in channel's provider(s), in failover order per channel. A channel the
 * configuration leaves out still has one: unconfigured, it answers sends with its setup hint.
 */
export function buildChannelProviders(
  config: DeliveryConfig,
  deactivateDevice: (device: DeviceToken, reason: string) => Promise<void>,
  now: () => Date,
  outbound: OutboundHttp,
): ChannelProvider[] {
  const relays = config.emailFrom ? config.smtpUrls.map((url) => ({ url, from: config.emailFrom as string })) : [];
  const senders: PushSender[] = [];
  if (config.vapid) senders.push(new WebPushSender(config.vapid, outbound.policy));
  if (config.fcm) senders.push(new FcmSender(config.fcm.serviceAccount, config.fcm.baseUrl));
  if (config.apns) senders.push(new ApnsSender(config.apns));
  return [
    ...(relays.length > 0 ? relays.map((relay) => new SmtpEmailProvider(relay)) : [new SmtpEmailProvider(null)]),
    new TwilioSmsProvider(config.twilio),
    new PushProvider(senders, deactivateDevice),
    new SlackWebhookProvider(outbound),
    new SignedWebhookProvider(config.webhook.signingSecret, config.webhook.defaultUrl, now, outbound),
  ];
}

/**
 * The built-in providers with a host's registered ones: a registered provider adds its channel,
 * or replaces every built-in provider of a channel it shares a name with (several registered for
 * one channel fail over in the order given). Throws at boot on a name the API could not carry.
 */
export function withRegisteredProviders(builtIn: ChannelProvider[], registered: ChannelProvider[]): ChannelProvider[] {
  for (const provider of registered) {
    if (typeof provider.channel !== 'string' || !CHANNEL_NAME_PATTERN.test(provider.channel) || provider.channel === IN_APP) {
      throw new Error(
        `Channel provider ${provider.constructor.name} has channel "${String(provider.channel)}": a channel is 1 to 20 lower-case letters, digits, "_" or "-", starting with a letter, and not ${IN_APP}`,
      );
    }
  }
  const replaced = new Set(registered.map((provider) => provider.channel));
  return [...builtIn.filter((provider) => !replaced.has(provider.channel)), ...registered];
}
