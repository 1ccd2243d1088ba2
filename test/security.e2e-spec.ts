import { JwtService } from '@nestjs/jwt';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { UserTokenService } from '../src/auth/user-token.service';
import { BUILT_MAIN, PROJECT_ROOT, runServiceExpectingExit, ServiceProcess, startService } from './support/service-process';
import { makeTempDir } from './support/temp-dir';
import { createTestApp, TestApp } from './support/test-app';

const run = promisify(execFile);
const TOKEN_SECRET = 'user-token-secret-for-security-tests-0123456789';

describe('Identities a credential cannot borrow (e2e)', () => {
  let t: TestApp;
  let alice: string;

  beforeEach(async () => {
    t = await createTestApp({ env: { USER_TOKEN_SECRET: TOKEN_SECRET } });
    alice = (await t.app.get(UserTokenService).mint('alice')).token;
  });

  afterEach(async () => {
    await t.close();
  });

  const asAlice = () => t.anon;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const exportOf = async (user: string) => (await t.http.get(`/api/users/${encodeURIComponent(user)}/export`).expect(200)).body;

  it("files a user token's anonymous-only event under the token's user, never the user the anonymous id was identified as", async () => {
    await t.http.post('/api/activity/identify').send({ anonymous_id: 'shared-tablet', user_id: 'bob' }).expect(200);
    await asAlice()
      .post('/api/activity/track')
      .set(bearer(alice))
      .send({ anonymous_id: 'shared-tablet', activity_type: 'click' })
      .expect(201);
    await asAlice()
      .post('/api/activity/batch')
      .set(bearer(alice))
      .send({ batch: [{ anonymous_id: 'shared-tablet', activity_type: 'scroll' }] })
      .expect(200);
    expect((await exportOf('bob')).activities).toEqual([]);
    const mine = (await exportOf('alice')).activities;
    expect(mine.map((a: { activity_type: string; anonymous_id: string }) => [a.activity_type, a.anonymous_id])).toEqual([
      ['click', 'shared-tablet'],
      ['scroll', 'shared-tablet'],
    ]);
  });

  it("refuses a user token's identify of an anonymous id another user holds, and leaves both histories alone", async () => {
    await t.http
      .post('/api/activity/track')
      .send({ anonymous_id: 'bobs-phone', activity_type: 'page_view', page_url: '/private' })
      .expect(201);
    await t.http.post('/api/activity/identify').send({ anonymous_id: 'bobs-phone', user_id: 'bob' }).expect(200);
    const res = await asAlice()
      .post('/api/activity/identify')
      .set(bearer(alice))
      .send({ anonymous_id: 'bobs-phone', user_id: 'alice' })
      .expect(403);
    expect(res.body.error.code).toBe('forbidden');
    await asAlice().post('/api/activity/identify').set(bearer(alice)).send({ anonymous_id: 'bobs-phone', user_id: 'bob' }).expect(403);
    expect((await exportOf('alice')).activities).toEqual([]);
    expect((await exportOf('bob')).activities).toHaveLength(1);
    // A visitor nobody has claimed yet, and its own again, are fine.
    await asAlice().post('/api/activity/identify').set(bearer(alice)).send({ anonymous_id: 'alices-laptop', user_id: 'alice' }).expect(200);
    await asAlice().post('/api/activity/identify').set(bearer(alice)).send({ anonymous_id: 'alices-laptop', user_id: 'alice' }).expect(200);
  });
});

describe('User tokens: expiry, lifetime and revocation (e2e)', () => {
  let t: TestApp;

  beforeEach(async () => {
    t = await createTestApp({ env: { USER_TOKEN_SECRET: TOKEN_SECRET, USER_TOKEN_MAX_TTL_SECONDS: '86400' } });
  });

  afterEach(async () => {
    await t.close();
  });

  const inbox = (token: string, user = 'carol') => t.anon.get(`/api/notifications/user/${user}`).set('Authorization', `Bearer ${token}`);
  const hostMinted = (claims: Record<string, unknown>) => new JwtService().sign(claims, { secret: TOKEN_SECRET, algorithm: 'HS256' });

  it('refuses a token without exp, or whose exp lies beyond USER_TOKEN_MAX_TTL_SECONDS', async () => {
    const now = Math.floor(t.clock.now().getTime() / 1000);
    expect((await inbox(hostMinted({ sub: 'carol', iat: now }))).status).toBe(401);
    expect((await inbox(hostMinted({ sub: 'carol', iat: now, exp: now + 86400 + 3600 }))).status).toBe(401);
    expect((await inbox(hostMinted({ sub: 'carol', iat: now, exp: now + 3600 }))).status).toBe(200);
  });

  it('counts the lifetime from iat, and refuses a token issued in the future', async () => {
    const now = Math.floor(t.clock.now().getTime() / 1000);
    // A year-long token is refused in its last 30 days too, not only at first.
    expect((await inbox(hostMinted({ sub: 'carol', iat: now - 364 * 86400, exp: now + 3600 }))).status).toBe(401);
    expect((await inbox(hostMinted({ sub: 'carol', iat: now + 3600, exp: now + 7200 }))).status).toBe(401);
    // A host clock a few seconds ahead is fine.
    expect((await inbox(hostMinted({ sub: 'carol', iat: now + 5, exp: now + 3605 }))).status).toBe(200);
  });

  it('mints with the default lifetime for a null ttl_seconds, and refuses one past the maximum', async () => {
    const minted = await t.http.post('/api/auth/user-token').send({ user_id: 'carol', ttl_seconds: null }).expect(201);
    expect(new Date(minted.body.expires_at).getTime() - t.clock.now().getTime()).toBe(3600 * 1000);
    const tooLong = await t.http.post('/api/auth/user-token').send({ user_id: 'carol', ttl_seconds: 86401 }).expect(400);
    expect(tooLong.body.error.details).toEqual([expect.objectContaining({ field: 'ttl_seconds' })]);
  });

  it('revokes every token of a user issued until then, and only theirs; later tokens work', async () => {
    const carol = (await t.http.post('/api/auth/user-token').send({ user_id: 'carol' }).expect(201)).body.token;
    const dave = (await t.http.post('/api/auth/user-token').send({ user_id: 'dave' }).expect(201)).body.token;
    const now = Math.floor(t.clock.now().getTime() / 1000);
    const carolsHostToken = hostMinted({ sub: 'carol', iat: now, exp: now + 600 });
    expect((await inbox(carol)).status).toBe(200);

    t.clock.advance(500);
    const revoked = await t.http.post('/api/auth/user-token/revoke').send({ user_id: 'carol' }).expect(200);
    expect(revoked.body).toEqual({ success: true, user_id: 'carol', revoked_at: t.clock.now().toISOString() });
    expect((await inbox(carol)).status).toBe(401);
    expect((await inbox(carolsHostToken)).status).toBe(401);
    expect((await inbox(dave, 'dave')).status).toBe(200);

    // Minted after the revocation, within the same second: it works.
    t.clock.advance(200);
    const fresh = (await t.http.post('/api/auth/user-token').send({ user_id: 'carol' }).expect(201)).body.token;
    expect((await inbox(fresh)).status).toBe(200);
  });

  it('revokes the tokens of a user who is erased', async () => {
    const carol = (await t.http.post('/api/auth/user-token').send({ user_id: 'carol' }).expect(201)).body.token;
    await t.anon
      .post('/api/activity/track')
      .set('Authorization', `Bearer ${carol}`)
      .send({ user_id: 'carol', activity_type: 'click' })
      .expect(201);
    t.clock.advance(1000);
    await t.http.delete('/api/users/carol').expect(200);
    expect((await inbox(carol)).status).toBe(401);
    await t.anon
      .post('/api/activity/track')
      .set('Authorization', `Bearer ${carol}`)
      .send({ user_id: 'carol', activity_type: 'click' })
      .expect(401);
    expect((await t.http.get('/api/users/carol/export').expect(200)).body.activities).toEqual([]);
  });
});

describe('Erasure leaves no replayable answer (e2e)', () => {
  it('drops the idempotency records of an erased user: a replayed key does not answer with a deleted notification', async () => {
    const t = await createTestApp();
    try {
      const body = { user_id: 'erin', title: 'Hi', message: 'There', notification_type: 'welcome', channel: 'in_app' };
      const first = await t.http.post('/api/notifications/send').set('Idempotency-Key', 'welcome-erin').send(body).expect(201);
      const replay = await t.http.post('/api/notifications/send').set('Idempotency-Key', 'welcome-erin').send(body);
      expect(replay.body.notification_id).toBe(first.body.notification_id);
      await t.http.delete('/api/users/erin').expect(200);
      const after = await t.http.post('/api/notifications/send').set('Idempotency-Key', 'welcome-erin').send(body).expect(201);
      expect(after.body.notification_id).not.toBe(first.body.notification_id);
      const inbox = (await t.http.get('/api/notifications/user/erin').expect(200)).body.notifications;
      expect(inbox.map((n: { id: string }) => n.id)).toEqual([after.body.notification_id]);
    } finally {
      await t.close();
    }
  });
});

describe('Recipient addresses taken from data (e2e)', () => {
  it.each([
    ['a CRLF header injection', 'ada@example.com\r\nBcc: all@example.com'],
    ['a list', 'ada@example.com, all@example.com'],
    ['a display name with a second address', 'Ada <ada@example.com>, all@example.com'],
    ['a quoted local part holding a second address', '"ada@example.com,b"@example.com'],
    ['not a string', 42],
  ])('refuses %s in data.email with 400, storing nothing', async (_label, email) => {
    const t = await createTestApp({ env: { SMTP_URL: 'smtp://127.0.0.1:9', EMAIL_FROM: 'engage@example.com' } });
    try {
      const res = await t.http
        .post('/api/notifications/send')
        .send({ user_id: 'frank', title: 'T', message: 'M', notification_type: 'n', channel: 'email', data: { email } })
        .expect(400);
      expect(res.body.error.details).toEqual([expect.objectContaining({ field: 'data.email' })]);
      expect((await t.http.get('/api/notifications/user/frank').expect(200)).body.notifications).toEqual([]);
      await t.http.put('/api/users/frank/contact').send({ email }).expect(400);
    } finally {
      await t.close();
    }
  });
});

// The built service and the key CLI, each its own process on the same auth database, as in production.
describe('Across processes (e2e)', () => {
  const dir = makeTempDir('engage-sec-');
  const ADMIN = 'egk_security_admin_key_0123456789abcdef';
  let service: ServiceProcess;

  beforeAll(async () => {
    service = await startService(dir.path, { API_KEYS: ADMIN, LOG_LEVEL: 'debug', USER_TOKEN_SECRET: TOKEN_SECRET });
  }, 30_000);

  afterAll(async () => {
    await service?.stop();
    dir.remove();
  });

  const cli = async (...args: string[]) =>
    (
      await run(process.execPath, [join(PROJECT_ROOT, 'dist', 'src', 'auth', 'apikey-cli.js'), ...args], {
        cwd: dir.path,
        env: { PATH: process.env.PATH ?? '' },
      })
    ).stdout;

  it('stops a key revoked by another process within a second', async () => {
    const key = /egk_[A-Za-z0-9_-]{20,}/.exec(await cli('create', '--name', 'site', '--scope', 'track'))?.[0] as string;
    const track = () =>
      fetch(`${service.baseUrl}/api/activity/track`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ user_id: 'grace', activity_type: 'click' }),
      });
    expect((await track()).status).toBe(201);
    await cli('revoke', 'site');
    const revokedAt = Date.now();
    let status = 0;
    while (Date.now() - revokedAt < 3000) {
      status = (await track()).status;
      if (status === 401) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(status).toBe(401);
    expect(Date.now() - revokedAt).toBeLessThan(1500);
  }, 30_000);

  it('writes no key, token or secret to its log, at debug level, whatever the requests carry', async () => {
    const key = /egk_[A-Za-z0-9_-]{20,}/.exec(await cli('create', '--name', 'web', '--scope', 'track'))?.[0] as string;
    const minted = await fetch(`${service.baseUrl}/api/auth/user-token`, {
      method: 'POST',
      headers: { 'X-API-Key': ADMIN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ user_id: 'heidi' }),
    });
    const token = ((await minted.json()) as { token: string }).token;
    const send = (path: string, init: RequestInit = {}) => fetch(`${service.baseUrl}${path}`, init);
    await send(`/api/activity/track?key=${key}`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{"user_id":"heidi"' });
    await send(`/api/activity/track?key=${key}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"user_id":"heidi"}',
    });
    await send(`/api/activity/track?key=${ADMIN}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    await send(`/api/notifications/user/heidi?token=${token}`, { headers: { Authorization: `Bearer ${token}` } });
    await send(`/api/notifications/user/someone-else`, { headers: { Authorization: `Bearer ${token}` } });
    await send(`/api/analytics/overview?from=2026-13-01&key=${key}`, { headers: { 'X-API-Key': ADMIN } });
    // analytics.js's settings carry the key in the path; a secret key there is refused, and logged neither.
    await send(`/v1/projects/${key}/settings`);
    await send(`/v1/projects/${ADMIN}/settings`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const log = service.output();
    expect(log).toContain('"request_id"');
    for (const secret of [key, ADMIN, token, TOKEN_SECRET]) expect(log).not.toContain(secret);
  });

  it('names a bad variable without printing any secret value when the configuration is invalid', async () => {
    const secrets = {
      API_KEYS: 'short',
      USER_TOKEN_SECRET: 'too-short-SECRET-value',
      WEBHOOK_SIGNING_SECRET: 'SECRET-x',
      PORT: 'SECRET-port',
    };
    const { code, output } = await runServiceExpectingExit(makeTempDir('engage-badcfg-').path, secrets);
    expect(code).not.toBe(0);
    expect(output).toMatch(/USER_TOKEN_SECRET/);
    expect(output).toMatch(/WEBHOOK_SIGNING_SECRET/);
    for (const value of Object.values(secrets)) expect(output).not.toContain(value);
    expect(BUILT_MAIN).toContain('dist');
  });
});
