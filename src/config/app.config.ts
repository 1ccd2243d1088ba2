import { registerAs } from '@nestjs/config';
import { validateEnv, EnvLogLevel } from './env.validation';

export interface AppConfig {
  port: number;
  host: string;
  logLevel: EnvLogLevel;
  logFormat: 'json' | 'text';
  trustProxy: boolean | number | string;
  /** Allowed CORS origins; `true` for any, an empty list for none. */
  corsOrigins: string[] | true;
  /** Node's HTTP server limits: headers, whole request (408), idle keep-alive. */
  timeouts: { headersMs: number; requestMs: number; keepAliveMs: number };
  /** Who gets a demo session (see DEMO_PAGE). */
  demoPage: 'local' | 'on' | 'off';
}

/** Parses TRUST_PROXY into the value Express's "trust proxy" setting expects. */
export function parseTrustProxy(value: string): boolean | number | string {
  const normalized = value.trim().toLowerCase();
  if (['false', '0', 'no', 'off', ''].includes(normalized)) return false;
  if (['true', 'yes', 'on'].includes(normalized)) return true;
  if (/^\d+$/.test(normalized)) return Number(normalized);
  return value.trim();
}

export function parseCorsOrigins(value: string): string[] | true {
  const origins = value
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
  return origins.includes('*') ? true : origins;
}

export function readAppConfig(raw: Record<string, unknown> = process.env): AppConfig {
  const env = validateEnv(raw);
  return {
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    logFormat: env.LOG_FORMAT,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    corsOrigins: parseCorsOrigins(env.CORS_ORIGINS),
    timeouts: {
      headersMs: env.HTTP_HEADERS_TIMEOUT_MS,
      requestMs: env.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveMs: env.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
    demoPage: env.DEMO_PAGE,
  };
}

export const appConfig = registerAs('app', () => readAppConfig());
