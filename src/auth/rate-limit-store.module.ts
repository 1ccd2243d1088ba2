import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { Redis } from 'ioredis';
import { once } from 'node:events';
import { authConfig } from '../config/auth.config';
import { RateLimiterStorage } from './rate-limiter.storage';

/** How long boot waits for Redis before counting in memory until it connects. */
const REDIS_CONNECT_WAIT_MS = 2000;

/** The rate limiter's counters: in Redis when REDIS_URL is set (shared by all processes), else in memory. */
@Module({
  providers: [
    {
      provide: RateLimiterStorage,
      inject: [authConfig.KEY],
      useFactory: async (config: ConfigType<typeof authConfig>) => {
        if (!config.redis) return new RateLimiterStorage();
        // No offline queue: while Redis is away a count fails at once (and is kept in memory)
        // instead of waiting in a queue with the request. A command timeout and TCP keep-alive do
        // the same for a connection that hangs without closing (a network partition): the request
        // waits 250 ms at most, not until TCP gives up.
        const client = new Redis(config.redis.url, {
          enableOfflineQueue: false,
          maxRetriesPerRequest: 1,
          commandTimeout: 250,
          keepAlive: 10_000,
        });
        const storage = new RateLimiterStorage(client, config.redis.prefix);
        // Until it is connected every process counts alone: wait for it, a little.
        // (An unreachable Redis ends the wait at its first error: the service starts all the same.)
        await Promise.race([
          once(client, 'ready').catch(() => undefined),
          new Promise((resolve) => setTimeout(resolve, REDIS_CONNECT_WAIT_MS).unref()),
        ]);
        return storage;
      },
    },
  ],
  exports: [RateLimiterStorage],
})
export class RateLimitStoreModule {}
