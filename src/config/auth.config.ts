import { registerAs } from '@nestjs/config';
import { InvalidEnvironmentError, validateEnv } from './env.validation';

export interface AuthConfig {
  database: string;
  seededAdminKeys: string[];
  userTokenSecret: string | undefined;
  userTokenTtlSeconds: number;
  userTokenMaxTtlSeconds: number;
  disabled: boolean;
  rateLimitPerMinute: number;
  authFailuresPerMinute: number;
  /** With Redis, rate-limit counters are shared by every Engage process; else each counts alone. */
  redis: { url: string; prefix: string } | null;
}

export function readAuthConfig(raw: Record<string, unknown> = process.env): AuthConfig {
  const env = validateEnv(raw);
  if (env.USER_TOKEN_TTL_SECONDS > env.USER_TOKEN_MAX_TTL_SECONDS) {
    throw new InvalidEnvironmentError(['USER_TOKEN_TTL_SECONDS is invalid (it must not exceed USER_TOKEN_MAX_TTL_SECONDS)']);
  }
  return {
    database: env.AUTH_DB_PATH,
    seededAdminKeys: env.API_KEYS ? env.API_KEYS.split(',') : [],
    userTokenSecret: env.USER_TOKEN_SECRET,
    userTokenTtlSeconds: env.USER_TOKEN_TTL_SECONDS,
    userTokenMaxTtlSeconds: env.USER_TOKEN_MAX_TTL_SECONDS,
    disabled: env.AUTH_DISABLED,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: env.AUTH_FAILURES_PER_MINUTE,
    redis: env.REDIS_URL ? { url: env.REDIS_URL, prefix: env.REDIS_PREFIX } : null,
  };
}

export const authConfig = registerAs('auth', () => readAuthConfig());
