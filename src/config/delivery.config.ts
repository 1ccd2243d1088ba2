import { registerAs } from '@nestjs/config';
import { existsSync, readFileSync } from 'node:fs';
import { InvalidEnvironmentError, validateEnv } from './env.validation';
import { isOutboundAllowEntry } from '../common/outbound/outbound-policy';
import type { OutboundSettings } from '../common/outbound/outbound-policy';

export interface DeliveryConfig {
  /** BullMQ on this Redis instead of the embedded queue. */
  redis: { url: string; prefix: string } | null;
  /** Whether this process processes deliveries. */
  worker: boolean;
  maxAttempts: number;
  backoffMs: number;
  concurrency: number;
  pollMs: number;
  smtpUrls: string[];
  emailFrom: string | undefined;
  twilio: { accountSid: string; authToken: string; from: string; baseUrl: string } | null;
  vapid: { publicKey: string; privateKey: string; subject: string } | null;
  fcm: { serviceAccount: FcmServiceAccount; baseUrl: string } | null;
  apns: { key: string; keyId: string; teamId: string; topic: string; baseUrl: string } | null;
  webhook: { signingSecret: string | undefined; defaultUrl: string | undefined };
  /** What user-set URLs may reach (OutboundPolicy). */
  outbound: OutboundSettings;
  /** The real-time stream of the inbox (GET /api/notifications/stream): its heartbeat interval in ms. */
  stream: { heartbeatMs: number };
}

export interface FcmServiceAccount {
  project_id: string;
  client_email: string;
  private_key: string;
  token_uri: string;
}

/** A value given inline or as the path of a file holding it. */
function inlineOrFile(value: string): string {
  const trimmed = value.trim();
  return !trimmed.startsWith('{') && !trimmed.startsWith('-----') && existsSync(trimmed) ? readFileSync(trimmed, 'utf8') : value;
}

function parseServiceAccount(value: string): FcmServiceAccount {
  try {
    const account = JSON.parse(inlineOrFile(value)) as Partial<FcmServiceAccount>;
    if (account.project_id && account.client_email && account.private_key && account.token_uri) return account as FcmServiceAccount;
  } catch {
    // reported below
  }
  throw new InvalidEnvironmentError([
    'FCM_SERVICE_ACCOUNT is invalid (it must be service-account JSON with project_id, client_email, private_key and token_uri, or the path of such a file)',
  ]);
}

function parseOutboundAllow(value: string | undefined): string[] {
  const entries = (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const bad = entries.filter((entry) => !isOutboundAllowEntry(entry));
  if (bad.length > 0) {
    throw new InvalidEnvironmentError([
      `OUTBOUND_ALLOW is invalid (each entry must be a host name, an address or a CIDR range such as 127.0.0.1/32; ${bad.length} is not)`,
    ]);
  }
  return entries;
}

export function readDeliveryConfig(raw: Record<string, unknown> = process.env): DeliveryConfig {
  const env = validateEnv(raw);
  const twilioComplete = env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN && env.TWILIO_FROM;
  const vapidComplete = env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY && env.VAPID_SUBJECT;
  const apnsComplete = env.APNS_KEY && env.APNS_KEY_ID && env.APNS_TEAM_ID && env.APNS_TOPIC;
  return {
    redis: env.REDIS_URL ? { url: env.REDIS_URL, prefix: env.REDIS_PREFIX } : null,
    worker: env.DELIVERY_WORKER,
    maxAttempts: env.DELIVERY_MAX_ATTEMPTS,
    backoffMs: env.DELIVERY_BACKOFF_MS,
    concurrency: env.DELIVERY_CONCURRENCY,
    pollMs: env.DELIVERY_POLL_MS,
    smtpUrls: (env.SMTP_URL ?? '')
      .split(',')
      .map((url) => url.trim())
      .filter(Boolean),
    emailFrom: env.EMAIL_FROM,
    twilio: twilioComplete
      ? { accountSid: env.TWILIO_ACCOUNT_SID!, authToken: env.TWILIO_AUTH_TOKEN!, from: env.TWILIO_FROM!, baseUrl: env.TWILIO_BASE_URL }
      : null,
    vapid: vapidComplete ? { publicKey: env.VAPID_PUBLIC_KEY!, privateKey: env.VAPID_PRIVATE_KEY!, subject: env.VAPID_SUBJECT! } : null,
    fcm: env.FCM_SERVICE_ACCOUNT ? { serviceAccount: parseServiceAccount(env.FCM_SERVICE_ACCOUNT), baseUrl: env.FCM_BASE_URL } : null,
    apns: apnsComplete
      ? {
          key: inlineOrFile(env.APNS_KEY!),
          keyId: env.APNS_KEY_ID!,
          teamId: env.APNS_TEAM_ID!,
          topic: env.APNS_TOPIC!,
          baseUrl: env.APNS_BASE_URL,
        }
      : null,
    webhook: { signingSecret: env.WEBHOOK_SIGNING_SECRET, defaultUrl: env.WEBHOOK_DEFAULT_URL },
    outbound: { allow: parseOutboundAllow(env.OUTBOUND_ALLOW), allowHttp: env.OUTBOUND_ALLOW_HTTP },
    stream: { heartbeatMs: env.STREAM_HEARTBEAT_MS },
  };
}

export const deliveryConfig = registerAs('delivery', () => readDeliveryConfig());
