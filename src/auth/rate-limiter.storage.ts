import type { ThrottlerStorage } from '@nestjs/throttler';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * The rate limiter's counters: fixed windows kept by rate-limiter-flexible, one count and one
 * expiry per key, so a hit costs the same however many came before it.
 *
 * @nestjs/throttler's own storage keeps the expiry time of every hit in the window and filters
 * that list on every request: one busy key (a server-side admin key sending all the tracking)
 * made each request cost more the busier it was, and the limiter was a quarter of the CPU of
 * a tracked event. The guard, the decorators and the 429 answer stay @nestjs/throttler's.
 */
export class RateLimiterStorage implements ThrottlerStorage {
  /** One limiter per distinct (throttler, window, limit, block) the guard asks about. */
  private readonly limiters = new Map<string, RateLimiterMemory>();

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const limiter = this.limiterFor(throttlerName, ttl, limit, blockDuration);
    try {
      const res = await limiter.consume(key);
      return { totalHits: res.consumedPoints, timeToExpire: seconds(res.msBeforeNext), isBlocked: false, timeToBlockExpire: 0 };
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
      const wait = seconds(rejection.msBeforeNext);
      return { totalHits: rejection.consumedPoints, timeToExpire: wait, isBlocked: true, timeToBlockExpire: wait };
    }
  }

  private limiterFor(name: string, ttlMs: number, limit: number, blockDurationMs: number): RateLimiterMemory {
    const id = `${name}:${ttlMs}:${limit}:${blockDurationMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new RateLimiterMemory({ keyPrefix: id, points: limit, duration: ttlMs / 1000, blockDuration: blockDurationMs / 1000 });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}

/** Whole seconds, at least one: what Retry-After carries. */
function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
