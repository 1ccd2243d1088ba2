import { registerAs } from '@nestjs/config';
import { validateEnv } from './env.validation';

export interface AuthConfig {
  database: string;
  seededAdminKeys: string[];
  userTokenSecret: string | undefined;
  userTokenTtlSeconds: number;
  disabled: boolean;
  rateLimitPerMinute: number;
  authFailuresPerMinute: number;
  /** With Redis, rate-limit counters are shared by every Engage process; else each counts alone. */
  redis: { url: string; prefix: string } | null;
}

export function readAuthConfig(raw: Record<string, unknown> = process.env): AuthConfig {
  const env = validateEnv(raw);
  return {
    database: env.AUTH_DB_PATH,
    seededAdminKeys: env.API_KEYS ? env.API_KEYS.split(',') : [],
    userTokenSecret: env.USER_TOKEN_SECRET,
    userTokenTtlSeconds: env.USER_TOKEN_TTL_SECONDS,
    disabled: env.AUTH_DISABLED,
    rateLimitPerMinute: env.RATE_LIMIT_PER_MINUTE,
    authFailuresPerMinute: env.AUTH_FAILURES_PER_MINUTE,
    redis: env.REDIS_URL ? { url: env.REDIS_URL, prefix: env.REDIS_PREFIX } : null,
  };
}

export const authConfig = registerAs('auth', () => readAuthConfig());
