import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import type { Response } from 'express';
import { Clock } from '../common/clock';
import { authConfig } from '../config/auth.config';

const WINDOW_MS = 60_000;
const BLOCK_MS = 60_000;

/**
 * Slows credential guessing: an IP that presents more than AUTH_FAILURES_PER_MINUTE bad
 * credentials is answered 429 (with Retry-After) for a minute, before any credential is checked.
 */
@Injectable()
export class AuthFailureLimiter {
  private readonly blockedUntil = new Map<string, number>();

  constructor(
    @InjectThrottlerStorage() private readonly storage: ThrottlerStorage,
    @Inject(authConfig.KEY) private readonly config: ConfigType<typeof authConfig>,
    private readonly clock: Clock,
  ) {}

  /** Throws 429 if this IP is blocked. */
  assertNotBlocked(ip: string, response: Response): void {
    const until = this.blockedUntil.get(ip);
    if (until === undefined) return;
    const remainingMs = until - this.clock.now().getTime();
    if (remainingMs <= 0) {
      this.blockedUntil.delete(ip);
      return;
    }
    throw this.tooMany(Math.ceil(remainingMs / 1000), response);
  }

  /** Counts one failure; throws 429 when this one crosses the limit. */
  async recordFailure(ip: string, response: Response): Promise<void> {
    const record = await this.storage.increment(
      `auth-failures:${ip}`,
      WINDOW_MS,
      this.config.authFailuresPerMinute,
      BLOCK_MS,
      'auth-failures',
    );
    if (!record.isBlocked) return;
    if (this.blockedUntil.size > 100_000) this.blockedUntil.clear();
    this.blockedUntil.set(ip, this.clock.now().getTime() + record.timeToBlockExpire * 1000);
    throw this.tooMany(record.timeToBlockExpire, response);
  }

  private tooMany(retryAfterSeconds: number, response: Response): HttpException {
    response.setHeader('Retry-After', String(Math.max(1, retryAfterSeconds)));
    return new HttpException(
      { code: 'rate_limited', message: 'Too many failed authentications from this address; retry later' },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
