import { ApiKeyService } from '../src/auth/api-key.service';
import { UserTokenService } from '../src/auth/user-token.service';
import { trackBody } from './support/factories';
import { createTestApp, TestApp } from './support/test-app';
import { makeTempDir } from './support/temp-dir';

describe('Abuse limits and HTTP hardening (e2e)', () => {
  let t: TestApp;

  // Databases shared by two apps: removed once both are closed.
  const sharedDirs: Array<{ remove(): void }> = [];

  afterEach(async () => {
    await t.close();
  });

  afterAll(() => {
    for (const dir of sharedDirs) dir.remove();
  });

  it('answers 429 with Retry-After once a credential exceeds RATE_LIMIT_PER_MINUTE, counting per credential', async () => {
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '5' } });
    const other = (await t.app.get(ApiKeyService).create('other', 'admin')).key;
    for (let i = 0; i < 5; i++) {
      const ok = await t.http.get('/api/analytics/user/u1').expect(200);
      expect(ok.headers['x-ratelimit-limit']).toBe('5');
    }
    const limited = await t.http.get('/api/notifications/user/u1').expect(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    // A rejected request changes nothing.
    await t.http.post('/api/activity/track').send(trackBody()).expect(429);

    // Another key, and each user token, has a bucket of its own.
    await t.anon.get('/api/analytics/user/u1').set('X-API-Key', other).expect(200);
    const token = (await t.app.get(UserTokenService).mint('u1')).token;
    await t.anon.get('/api/analytics/user/u1').set('Authorization', `Bearer ${token}`).expect(200);
    const analytics = await t.anon.get('/api/analytics/user/user123').set('X-API-Key', other).expect(200);
    expect(analytics.body.analytics.total_activities).toBe(0);
  });

  it('shares one limit between the Engage processes of a deployment when REDIS_URL is set', async () => {
    const shared = makeTempDir();
    sharedDirs.push(shared);
    // Two processes of one deployment: the same databases, the same Redis and prefix.
    const env = {
      RATE_LIMIT_PER_MINUTE: '5',
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `engage-test-${process.pid}-${Date.now()}`,
    };
    t = await createTestApp({ env, dir: shared.path });
    const second = await createTestApp({ env, dir: shared.path });
    try {
      for (let i = 0; i < 3; i++) await t.http.get('/api/analytics/user/u1').expect(200);
      await second.http.get('/api/analytics/user/u1').expect(200);
      await second.http.get('/api/analytics/user/u1').expect(200);
      // Five in all: each process alone would still allow more.
      const limited = await second.http.get('/api/analytics/user/u1').expect(429);
      expect(limited.body.error.code).toBe('rate_limited');
      await t.http.get('/api/analytics/user/u1').expect(429);
    } finally {
      await second.close();
    }
  });

  it('limits failed authentications per IP: 429 with Retry-After, then even a good key waits', async () => {
    t = await createTestApp({ env: { AUTH_FAILURES_PER_MINUTE: '3' } });
    for (let i = 0; i < 3; i++) {
      await t.anon.get('/api/analytics/user/u1').set('X-API-Key', `egk_wrong_guess_number_${i}_0000000000`).expect(401);
    }
    const blocked = await t.anon.get('/api/analytics/user/u1').set('X-API-Key', 'egk_wrong_guess_number_9_0000000000').expect(429);
    expect(blocked.body.error.code).toBe('rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    await t.http.get('/api/analytics/user/u1').expect(429);
    // Public routes still answer.
    await t.anon.get('/api/health').expect(200);

    t.clock.advance(61_000);
    await t.http.get('/api/analytics/user/u1').expect(200);
  });

  it('sends helmet security headers on every response', async () => {
    t = await createTestApp();
    const res = await t.anon.get('/api/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['strict-transport-security']).toContain('max-age=');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('sends no CORS headers unless CORS_ORIGINS allows the origin', async () => {
    t = await createTestApp();
    const res = await t.anon.get('/api/health').set('Origin', 'https://shop.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers preflights for allowed origins only, exposing the request id', async () => {
    t = await createTestApp({ env: { CORS_ORIGINS: 'https://shop.example, https://admin.example' } });
    const preflight = await t.anon
      .options('/api/activity/track')
      .set('Origin', 'https://shop.example')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'content-type, x-api-key');
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(preflight.headers['access-control-allow-headers']).toContain('X-API-Key');

    const allowed = await t.anon.get('/api/health').set('Origin', 'https://admin.example').expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://admin.example');
    expect(allowed.headers['access-control-expose-headers']).toContain('X-Request-Id');
    const denied = await t.anon.get('/api/health').set('Origin', 'https://evil.example').expect(200);
    expect(denied.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers every origin on the tracking calls only (a publishable key, no cookies), whatever CORS_ORIGINS says', async () => {
    t = await createTestApp();
    for (const path of ['/api/activity/track', '/api/activity/batch', '/api/activity/identify']) {
      const preflight = await t.anon
        .options(path)
        .set('Origin', 'https://any-customer.example')
        .set('Access-Control-Request-Method', 'POST')
        .set('Access-Control-Request-Headers', 'content-type');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe('https://any-customer.example');
      expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    }
    const other = await t.anon
      .options('/api/notifications/send')
      .set('Origin', 'https://any-customer.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});
