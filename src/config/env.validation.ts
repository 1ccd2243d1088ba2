import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, validateSync } from 'class-validator';

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

  /** Browser origins allowed to call the API (comma-separated, or * for any); empty sends no CORS headers. */
  @IsOptional()
  @IsString()
  @MaxLength(4096)
  CORS_ORIGINS: string = '';

  /** Express "trust proxy" setting: false, true, a hop count, or a list of addresses/subnets. */
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  TRUST_PROXY: string = 'false';
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
        return `${error.property}=${JSON.stringify(error.value)} is invalid (${reasons})`;
      }),
    );
  }
  return env;
}
