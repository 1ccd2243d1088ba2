import { RateLimiterStorage } from './rate-limiter.storage';

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
});
