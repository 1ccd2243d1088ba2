import { Logger, OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** How often a lost Redis connection is reported: once, then at most once a minute. */
const REDIS_ERROR_LOG_INTERVAL_MS = 60_000;

/**
 * The rate limiter's counters: fixed windows kept by rate-limiter-flexible, one count and one
 * expiry per key, so a hit costs the same however many came before it.
 *
 * @nestjs/throttler's own storage keeps the expiry time of every hit in the window and filters
 * that list on every request: one busy key (a server-side admin key sending all the tracking)
 * made each request cost more the busier it was, and the limiter was a quarter of the CPU of
 * a tracked event. The guard, the decorators and the 429 answer stay @nestjs/throttler's.
 *
 * Given a Redis client (REDIS_URL), the counters live in Redis, so that several Engage processes
 * share one limit instead of each allowing it in full. Should Redis be unreachable, each process
 * goes on counting in its own memory (rate-limiter-flexible's insurance limiter) rather than
 * failing requests or letting everything through.
 */
export class RateLimiterStorage implements ThrottlerStorage, OnApplicationShutdown {
  /** One limiter per distinct (throttler, window, limit, block) the guard asks about. */
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  private readonly logger = new Logger('RateLimiter');
  private lastRedisErrorAt = 0;

  /** @param prefix prefix of the Redis keys (REDIS_PREFIX), so deployments can share a Redis. */
  constructor(
    private readonly redis: Redis | null = null,
    private readonly prefix = 'engage',
  ) {
    // An 'error' event with no listener would end the process.
    redis?.on('error', (error: Error) => {
      const now = Date.now();
      if (now - this.lastRedisErrorAt < REDIS_ERROR_LOG_INTERVAL_MS) return;
      this.lastRedisErrorAt = now;
      this.logger.warn(`Redis unreachable (${error.message}): rate limits are counted per process until it is back`);
    });
  }

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

  async onApplicationShutdown(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }

  private limiterFor(name: string, ttlMs: number, limit: number, blockDurationMs: number): RateLimiterAbstract {
    const id = `${name}:${ttlMs}:${limit}:${blockDurationMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      const options = { keyPrefix: id, points: limit, duration: ttlMs / 1000, blockDuration: blockDurationMs / 1000 };
      limiter = this.redis
        ? new RateLimiterRedis({
            ...options,
            keyPrefix: `${this.prefix}:ratelimit:${id}`,
            storeClient: this.redis,
            // Not connected: count in memory at once, rather than wait for Redis.
            rejectIfRedisNotReady: true,
            insuranceLimiter: new RateLimiterMemory(options),
          })
        : new RateLimiterMemory(options);
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}

/** Whole seconds, at least one: what Retry-After carries. */
function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}
