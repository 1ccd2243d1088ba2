import { Global, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { createServer } from 'node:net';
import { authConfig } from '../config/auth.config';
import { RateLimitStoreModule } from './rate-limit-store.module';
import { RateLimiterStorage } from './rate-limiter.storage';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const uniquePrefix = () => `engage-test-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`;

describe(RateLimiterStorage.name, () => {
  it('counts hits per key within the window and blocks past the limit with a Retry-After', async () => {
    const sut = new RateLimiterStorage();
    const hit = (key: string) => sut.increment(key, 60_000, 3, 60_000, 'default');
    expect((await hit('a')).totalHits).toBe(1);
    await hit('a');
    expect(await hit('a')).toMatchObject({ totalHits: 3, isBlocked: false, timeToExpire: 60 });
    expect(await hit('a')).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
    // Other keys keep their own counts.
    expect(await hit('b')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('starts a new window once the old one has passed', async () => {
    const sut = new RateLimiterStorage();
    const hit = () => sut.increment('k', 200, 1, 200, 'default');
    expect((await hit()).isBlocked).toBe(false);
    expect((await hit()).isBlocked).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await hit()).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('keeps limits of different throttlers apart', async () => {
    const sut = new RateLimiterStorage();
    await sut.increment('k', 60_000, 1, 60_000, 'short');
    expect((await sut.increment('k', 60_000, 1, 60_000, 'short')).isBlocked).toBe(true);
    expect((await sut.increment('k', 60_000, 5, 60_000, 'long')).isBlocked).toBe(false);
  });

  describe('on Redis', () => {
    const storages: RateLimiterStorage[] = [];
    const onRedis = (prefix: string, url = REDIS_URL) => {
      const storage = new RateLimiterStorage(new Redis(url, { enableOfflineQueue: false, maxRetriesPerRequest: 1 }), prefix);
      storages.push(storage);
      return storage;
    };
    const connected = (storage: RateLimiterStorage) =>
      new Promise<void>((resolve) => {
        const client = (storage as unknown as { redis: Redis }).redis;
        if (client.status === 'ready') resolve();
        else client.once('ready', () => resolve());
      });

    afterEach(async () => {
      await Promise.all(storages.splice(0).map((storage) => storage.onApplicationShutdown()));
    });

    it('shares one count between processes: hits on either add up, and the block holds on both', async () => {
      const prefix = uniquePrefix();
      const first = onRedis(prefix);
      const second = onRedis(prefix);
      await Promise.all([connected(first), connected(second)]);
      const hit = (storage: RateLimiterStorage) => storage.increment('key:k1', 60_000, 4, 60_000, 'default');
      expect(await hit(first)).toMatchObject({ totalHits: 1, isBlocked: false });
      expect(await hit(second)).toMatchObject({ totalHits: 2, isBlocked: false });
      expect(await hit(first)).toMatchObject({ totalHits: 3, isBlocked: false });
      expect(await hit(second)).toMatchObject({ totalHits: 4, isBlocked: false });
      expect(await hit(first)).toMatchObject({ isBlocked: true, timeToBlockExpire: 60 });
      expect((await hit(second)).isBlocked).toBe(true);
      // The count is in Redis, under the deployment's prefix, with the window as its expiry.
      const keys = await (first as unknown as { redis: Redis }).redis.keys(`${prefix}:*`);
      expect(keys.length).toBeGreaterThan(0);
      // Another deployment (another prefix) on the same Redis counts on its own.
      const other = onRedis(uniquePrefix());
      await connected(other);
      expect(await hit(other)).toMatchObject({ totalHits: 1, isBlocked: false });
    });

    /** A port that refuses connections: nothing listens on it once this server is closed. */
    const refusedUrl = async () => {
      const server = createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      await new Promise((resolve) => server.close(resolve));
      return `redis://127.0.0.1:${port}`;
    };

    it('counts in its own memory while Redis cannot be reached, and never fails a request for it', async () => {
      const storage = onRedis(uniquePrefix(), await refusedUrl());
      const hit = () => storage.increment('key:k2', 60_000, 2, 60_000, 'default');
      expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false });
      expect(await hit()).toMatchObject({ totalHits: 2, isBlocked: false });
      expect((await hit()).isBlocked).toBe(true);
    });

    it('lets the service start when Redis is unreachable at boot', async () => {
      const config = { redis: { url: await refusedUrl(), prefix: uniquePrefix() } };
      @Global()
      @Module({ providers: [{ provide: authConfig.KEY, useValue: config }], exports: [authConfig.KEY] })
      class AuthConfigStub {}
      const moduleRef = await Test.createTestingModule({ imports: [AuthConfigStub, RateLimitStoreModule] }).compile();
      const storage = moduleRef.get(RateLimiterStorage);
      storages.push(storage);
      expect((await storage.increment('key:k3', 60_000, 5, 60_000, 'default')).totalHits).toBe(1);
    });
  });
});
