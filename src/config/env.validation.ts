import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  validateSync,
} from 'class-validator';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'log', 'info', 'debug', 'verbose'] as const;
export type EnvLogLevel = (typeof LOG_LEVELS)[number];

/** Accepts the spellings people actually put in env files for a flag. */
function toBoolean({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string') return value;
  const normalized = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
  if (['false', '0', 'no', 'off', ''].includes(normalized)) return false;
  return value;
}

function toInteger({ value }: { value: unknown }): unknown {
  if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim())) return value;
  return Number(value);
}

/**
 * The one schema for Engage's environment. Every variable the service reads is declared here,
 * so a typo or a bad value stops the boot with a message naming the variable.
 */
export class EnvironmentVariables {
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  HOST: string = '0.0.0.0';

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  ACTIVITY_DB_PATH: string = 'user_activities.db';

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  NOTIFICATIONS_DB_PATH: string = 'notifications.db';

  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  MIGRATIONS_RUN: boolean = true;

  @IsOptional()
  @IsIn(LOG_LEVELS)
  LOG_LEVEL: EnvLogLevel = 'log';

  @IsOptional()
  @IsIn(['json', 'text'])
  LOG_FORMAT: 'json' | 'text' = 'json';

  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(4096)
  AUTH_DB_PATH: string = 'auth.db';

  /** Comma-separated admin API keys to accept (seeded, stored hashed); for containers and CI. */
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{24,200}(,[A-Za-z0-9_-]{24,200})*$/, {
    message: 'API_KEYS must be a comma-separated list of keys of 24 to 200 letters, digits, "_" or "-"',
  })
  API_KEYS?: string;

  /** HS256 secret for user tokens; generated and stored in the auth database when unset. */
  @IsOptional()
  @IsString()
  @MinLength(32)
  @MaxLength(512)
  USER_TOKEN_SECRET?: string;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(60)
  @Max(30 * 24 * 3600)
  USER_TOKEN_TTL_SECONDS: number = 3600;

  /** Longest lifetime a user token may have, minted here or by a host: a token whose exp lies further ahead is refused. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(60)
  @Max(365 * 24 * 3600)
  USER_TOKEN_MAX_TTL_SECONDS: number = 30 * 24 * 3600;

  /** Opens every route without credentials; for local experiments only. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  AUTH_DISABLED: boolean = false;

  /** Requests per minute per credential (per key, per user, per IP for public routes); 0 turns limiting off. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  RATE_LIMIT_PER_MINUTE: number = 6000;

  /** Failed authentications per minute per IP before that IP is answered 429 for a minute. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100_000)
  AUTH_FAILURES_PER_MINUTE: number = 20;

  /** How long a client may take to send a request's headers before the connection is closed. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  HTTP_HEADERS_TIMEOUT_MS: number = 10_000;

  /** How long a client may take to send a whole request (headers and body); past it the answer is 408. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  HTTP_REQUEST_TIMEOUT_MS: number = 30_000;

  /** How long an idle keep-alive connection stays open. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  @Max(600_000)
  HTTP_KEEP_ALIVE_TIMEOUT_MS: number = 5_000;

  /** Browser origins allowed to call the API (comma-separated, or * for any); empty sends no CORS headers. */
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  CORS_ORIGINS: string = '';

  /** An automatic session ends after this many minutes without events. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1440)
  SESSION_TIMEOUT_MINUTES: number = 30;

  /** Purge raw activity events older than this many days (0 keeps them forever; else at least 30). */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @ValidateIf((env: EnvironmentVariables) => env.ACTIVITY_RETENTION_DAYS !== 0)
  @Min(30)
  @Max(36500)
  ACTIVITY_RETENTION_DAYS: number = 0;

  /** Tracking answers 429 (Retry-After: 1) while more writes than this wait for the database. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  INGEST_MAX_PENDING: number = 2000;

  /** GET /api/health reports "degraded" when a database's directory has less free space than this (MB); 0 turns the check off. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  STORAGE_MIN_FREE_MB: number = 100;

  // ---- Delivery ----

  /** With Redis, delivery jobs go through BullMQ (`npm run worker` processes can share the work) and rate-limit counters are shared by every process. */
  @IsOptional()
  @IsString()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  @MaxLength(2048)
  REDIS_URL?: string;

  /** Key prefix of Engage's BullMQ queues and rate-limit counters in Redis (lets several deployments share one Redis). */
  @IsOptional()
  @Matches(/^[A-Za-z0-9_:-]{1,64}$/, { message: 'REDIS_PREFIX must be 1 to 64 letters, digits, "_", ":" or "-"' })
  REDIS_PREFIX: string = 'engage';

  /** Whether this process delivers notifications (an API-only process with Redis may say false). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  DELIVERY_WORKER: boolean = true;

  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(50)
  DELIVERY_MAX_ATTEMPTS: number = 10;

  /** Delay before the first retry, in ms; each retry doubles it, with jitter (the defaults span 34–43 minutes). */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  DELIVERY_BACKOFF_MS: number = 5000;

  /** Deliveries in flight at once in this process. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(256)
  DELIVERY_CONCURRENCY: number = 8;

  /** How often the embedded queue looks for due jobs when nothing woke it, in ms. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(10)
  @Max(60_000)
  DELIVERY_POLL_MS: number = 500;

  /**
   * How often an open notification stream (GET /api/notifications/stream) sends a heartbeat
   * comment, in ms: under the idle timeout of proxies and load balancers (often 30 to 60 s).
   */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(300_000)
  STREAM_HEARTBEAT_MS: number = 25_000;

  /** SMTP relays, comma-separated, tried in order (failover), e.g. smtps://user:pass@smtp.example.com:465. */
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  SMTP_URL?: string;

  @IsOptional()
  @IsString()
  @MaxLength(320)
  EMAIL_FROM?: string;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  TWILIO_ACCOUNT_SID?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  TWILIO_AUTH_TOKEN?: string;

  @IsOptional()
  @IsString()
  @MaxLength(32)
  TWILIO_FROM?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2048)
  TWILIO_BASE_URL: string = 'https://api.twilio.com';

  @IsOptional()
  @IsString()
  @MaxLength(200)
  VAPID_PUBLIC_KEY?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  VAPID_PRIVATE_KEY?: string;

  /** mailto: or https: contact for push services, required with VAPID keys. */
  @IsOptional()
  @IsString()
  @MaxLength(320)
  VAPID_SUBJECT?: string;

  /** The FCM service-account JSON itself, or the path of its file. */
  @IsOptional()
  @IsString()
  @MaxLength(20_000)
  FCM_SERVICE_ACCOUNT?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2048)
  FCM_BASE_URL: string = 'https://fcm.googleapis.com';

  /** The APNs auth key (.p8 PEM text, or the path of the file). */
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  APNS_KEY?: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  APNS_KEY_ID?: string;

  @IsOptional()
  @IsString()
  @MaxLength(20)
  APNS_TEAM_ID?: string;

  /** The app's bundle id, sent as apns-topic. */
  @IsOptional()
  @IsString()
  @MaxLength(255)
  APNS_TOPIC?: string;

  @IsOptional()
  @IsString()
  @MaxLength(2048)
  APNS_BASE_URL: string = 'https://api.push.apple.com';

  /** Secret of webhook signatures (Standard Webhooks and X-Engage-Signature): printable ASCII, its bytes the HMAC key. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(512)
  @Matches(/^[\x21-\x7e]+$/, { message: 'WEBHOOK_SIGNING_SECRET must be printable ASCII without spaces' })
  WEBHOOK_SIGNING_SECRET?: string;

  /**
   * Internal targets that webhooks, Slack and Web Push may reach although the outbound policy
   * denies internal addresses: comma-separated host names and CIDR ranges (e.g. `127.0.0.1/32,hooks.corp.example`).
   */
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  @Matches(/^\s*[A-Za-z0-9.:\-_/[\]]+(\s*,\s*[A-Za-z0-9.:\-_/[\]]+)*\s*$/, {
    message: 'OUTBOUND_ALLOW must be comma-separated host names, addresses or CIDR ranges',
  })
  OUTBOUND_ALLOW?: string;

  /** Whether user-set URLs may be plain http: (https: only by default). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  OUTBOUND_ALLOW_HTTP: boolean = false;

  /** Where webhook notifications go when the user has no webhook_url. */
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  WEBHOOK_DEFAULT_URL?: string;

  /** Express "trust proxy" setting: false, true, a hop count, or a list of addresses/subnets. */
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  TRUST_PROXY: string = 'false';

  /**
   * The demo page at `/`: `local` (the default) gives its session (a user token for `demo-user`
   * and a publishable key) only to a browser on this machine talking to Engage directly; `on` to
   * anyone (a public demo); `off` serves no demo.
   */
  @IsOptional()
  @IsIn(['local', 'on', 'off'])
  DEMO_PAGE: 'local' | 'on' | 'off' = 'local';
}

export type ValidatedEnv = EnvironmentVariables;

/** Raised when the environment does not match the schema; main.ts prints it and exits. */
export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration: ${problems.join('; ')}`);
    this.name = 'InvalidEnvironmentError';
  }
}

export function validateEnv(raw: Record<string, unknown>): ValidatedEnv {
  // Empty strings in env files mean "not set": treat them as absent so defaults apply.
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== '' && value !== undefined));
  const env = plainToInstance(EnvironmentVariables, present, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    throw new InvalidEnvironmentError(
      errors.map((error) => {
        const reasons = Object.values(error.constraints ?? {}).join(', ');
        // The variable and the rule, never the value: it may be a secret (API_KEYS, USER_TOKEN_SECRET…).
        return `${error.property} is invalid (${reasons})`;
      }),
    );
  }
  return env;
}
