import { Analytics } from '@segment/analytics-node';
import { getDataSourceToken } from '@nestjs/typeorm';
import { once } from 'node:events';
import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import type { DataSource } from 'typeorm';
import { ACTIVITY_TRANSACTIONS } from '../src/activity/activity.tokens';
import { ApiKeyService } from '../src/auth/api-key.service';
import { UserTokenService } from '../src/auth/user-token.service';
import { ACTIVITY_DATA_SOURCE } from '../src/database/data-source-names';
import type { TransactionRunner } from '../src/database/engine/transaction-runner';
import { createTestApp, TEST_ADMIN_KEY, TestApp, USER_AGENTS } from './support/test-app';

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A proxy in front of Engage that forwards every request but answers the first `failures` of
 * them 503 once Engage has handled them: a response lost on the way back, which Segment's
 * libraries answer by sending the same batch again.
 */
async function lossyProxy(target: string, failures: number): Promise<{ url: string; forwarded: number; close(): Promise<void> }> {
  const state = { forwarded: 0 };
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(req.headers))
        if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
      const upstream = await fetch(`${target}${req.url}`, { method: req.method, headers, body: Buffer.concat(chunks) });
      const body = await upstream.text();
      state.forwarded += 1;
      if (state.forwarded <= failures) res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"success":false}');
      else res.writeHead(upstream.status, { 'Content-Type': 'application/json' }).end(body);
    });
  });
  const url = await listen(server);
  return {
    url,
    get forwarded() {
      return state.forwarded;
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("Segment's HTTP Tracking API, driven by Segment's own Node library (e2e)", () => {
  let t: TestApp;
  let engage: string;
  let db: DataSource;

  beforeEach(async () => {
    // Segment's libraries stamp events with the real time: the app must run on it too.
    t = await createTestApp({ realClock: true });
    engage = await listen(t.app.getHttpServer() as Server);
    db = t.app.get<DataSource>(getDataSourceToken(ACTIVITY_DATA_SOURCE));
  });

  afterEach(async () => {
    await t.close();
  });

  /** analytics-node as an application configures it, pointed at `host`. */
  const client = (host: string, writeKey = TEST_ADMIN_KEY) => {
    const analytics = new Analytics({ writeKey, host, flushAt: 50, flushInterval: 60_000, maxRetries: 3 });
    const errors: unknown[] = [];
    const statuses: number[] = [];
    analytics.on('error', (error) => errors.push(error));
    analytics.on('http_response', (response) => statuses.push(response.status));
    return { analytics, errors, statuses };
  };
  const analyticsOf = async (user: string) =>
    (await t.http.get(`/api/analytics/user/${encodeURIComponent(user)}`).expect(200)).body.analytics;
  const exportOf = async (user: string) => (await t.http.get(`/api/users/${encodeURIComponent(user)}/export`).expect(200)).body;

  it('stores track, page, screen, identify, alias and group from analytics-node, with sessions and analytics', async () => {
    const { analytics, errors, statuses } = client(engage);
    const browser = { userAgent: USER_AGENTS.chrome, ip: '203.0.113.7' };
    analytics.page({
      anonymousId: 'visitor-1',
      name: 'Pricing',
      properties: { url: 'https://shop.example/pricing', path: '/pricing' },
      context: { ...browser, page: { referrer: 'https://www.google.com/search?q=shop' } },
    });
    analytics.track({ anonymousId: 'visitor-1', event: 'Added To Cart', properties: { sku: 'A-1', price: 12.5 }, context: browser });
    analytics.identify({ anonymousId: 'visitor-1', userId: 'ada', traits: { email: 'ada@example.com', plan: 'trial' } });
    analytics.identify({ userId: 'ada', traits: { plan: 'pro' } });
    analytics.track({ userId: 'ada', event: 'Order Completed', properties: { revenue: 42 }, context: browser });
    analytics.screen({ userId: 'ada', name: 'Home', context: browser });
    analytics.track({ userId: 'ada-old', event: 'Logged In' });
    analytics.alias({ previousId: 'ada-old', userId: 'ada' });
    analytics.group({ userId: 'ada', groupId: 'acme', traits: { name: 'Acme', employees: 20 } });
    await analytics.closeAndFlush({ timeout: 10_000 });
    expect(errors).toEqual([]);
    expect(statuses).toEqual([200]);

    const data = await exportOf('ada');
    expect(data.activities.map((a: { activity_type: string }) => a.activity_type).sort()).toEqual(
      ['Added To Cart', 'Logged In', 'Order Completed', 'page_view', 'screen_view'].sort(),
    );
    const page = data.activities.find((a: { activity_type: string }) => a.activity_type === 'page_view');
    expect(page).toMatchObject({
      page_url: 'https://shop.example/pricing',
      referrer: 'https://www.google.com/search?q=shop',
      anonymous_id: 'visitor-1',
      metadata: { name: 'Pricing', url: 'https://shop.example/pricing', path: '/pricing' },
      user_agent: USER_AGENTS.chrome,
      ip_address: '203.0.113.7',
      is_bot: false,
      event_id: expect.stringMatching(/.+/),
    });
    const screen = data.activities.find((a: { activity_type: string }) => a.activity_type === 'screen_view');
    expect(screen.metadata).toEqual({ name: 'Home' });
    // The library's own User-Agent (analytics-node-next) is a backend's: never stored as the user's.
    const loggedIn = data.activities.find((a: { activity_type: string }) => a.activity_type === 'Logged In');
    expect(loggedIn).toMatchObject({ user_agent: null, ip_address: null, is_bot: false });
    expect(data.traits.traits).toEqual({ email: 'ada@example.com', plan: 'pro' });
    expect(data.groups).toEqual([
      expect.objectContaining({ group_id: 'acme', user_id: 'ada', group_traits: { name: 'Acme', employees: 20 } }),
    ]);
    expect(data.identities.map((i: { anonymous_id: string }) => i.anonymous_id).sort()).toEqual(['ada-old', 'visitor-1']);

    const figures = await analyticsOf('ada');
    expect(figures).toMatchObject({
      total_activities: 5,
      most_visited_pages: [{ key: 'https://shop.example/pricing', count: 1 }],
      top_referrers: [{ key: 'google.com', count: 1 }],
      devices: [{ key: 'desktop', count: 4 }],
    });
    expect(figures.favorite_features.map((f: { key: string }) => f.key).sort()).toEqual(
      ['Added To Cart', 'Logged In', 'Order Completed', 'screen_view'].sort(),
    );
    expect(figures.total_sessions).toBeGreaterThanOrEqual(1);
    // The old id and the anonymous visitor keep nothing of their own.
    expect((await analyticsOf('ada-old')).total_activities).toBe(0);
    expect((await analyticsOf('anon:visitor-1')).total_activities).toBe(0);
    const sessions: Array<{ user_id: string }> = await db.query(
      "SELECT user_id FROM user_sessions WHERE user_id IN ('ada-old', 'anon:visitor-1')",
    );
    expect(sessions).toEqual([]);
  });

  it('stores a batch once when its response was lost and the library sent it again', async () => {
    const proxy = await lossyProxy(engage, 1);
    try {
      const { analytics, errors, statuses } = client(proxy.url);
      for (let i = 0; i < 5; i++) analytics.track({ userId: 'retry', event: 'Clicked', properties: { i } });
      analytics.page({ userId: 'retry', properties: { path: '/retry' } });
      await analytics.closeAndFlush({ timeout: 15_000 });
      expect(statuses).toEqual([503, 200]);
      expect(errors).toEqual([]);
      expect(proxy.forwarded).toBe(2);
      const rows: Array<{ n: number; ids: number }> = await db.query(
        "SELECT COUNT(*) AS n, COUNT(DISTINCT event_id) AS ids FROM user_activities WHERE user_id = 'retry'",
      );
      expect(rows[0]).toEqual({ n: 6, ids: 6 });
      expect((await analyticsOf('retry')).total_activities).toBe(6);
    } finally {
      await proxy.close();
    }
  });

  it('works with a publishable key, and refuses a wrong or revoked key with 401 and a user token with 403', async () => {
    const published = client(engage, t.trackKey);
    published.analytics.track({ userId: 'pk', event: 'Clicked' });
    await published.analytics.closeAndFlush({ timeout: 10_000 });
    expect(published.statuses).toEqual([200]);
    expect((await analyticsOf('pk')).total_activities).toBe(1);

    const keys = t.app.get(ApiKeyService);
    const revoked = (await keys.create('gone', 'track')).key;
    await keys.revoke('gone');
    const token = (await t.app.get(UserTokenService).mint('pk')).token;
    const body = JSON.stringify({ userId: 'pk', event: 'Clicked' });
    const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
    for (const key of [revoked, 'egk_never_issued_000000000000000000', 'wrong']) {
      const res = await fetch(`${engage}/v1/track`, {
        method: 'POST',
        headers: { Authorization: basic(key), 'Content-Type': 'application/json' },
        body,
      });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    }
    const inBody = await fetch(`${engage}/v1/track`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ userId: 'pk', event: 'Clicked', writeKey: revoked }),
    });
    expect(inBody.status).toBe(401);
    const withToken = await fetch(`${engage}/v1/track`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body,
    });
    expect(withToken.status).toBe(403);
    expect((await analyticsOf('pk')).total_activities).toBe(1);
  });

  describe('protocol details', () => {
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${engage}${path}`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${TEST_ADMIN_KEY}:`).toString('base64')}`,
          'Content-Type': 'application/json',
          ...headers,
        },
        body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
      });

    it('answers 200 {"success": true} and takes the write key from the body, text/plain and gzip as analytics.js and others send them', async () => {
      const plain = await fetch(`${engage}/v1/t`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: JSON.stringify({ userId: 'wire', event: 'A', writeKey: t.trackKey, context: { userAgent: USER_AGENTS.chrome } }),
      });
      expect(plain.status).toBe(200);
      expect(await plain.json()).toEqual({ success: true });
      const zipped = await post('/v1/batch', gzipSync(JSON.stringify({ batch: [{ type: 'track', userId: 'wire', event: 'B' }] })), {
        'Content-Encoding': 'gzip',
      });
      expect(zipped.status).toBe(200);
      const imported = await post('/v1/import', { batch: [{ type: 'page', userId: 42, properties: { path: '/numeric' } }] });
      expect(imported.status).toBe(200);
      expect((await analyticsOf('wire')).total_activities).toBe(2);
      expect((await analyticsOf('42')).most_visited_pages).toEqual([{ key: '/numeric', count: 1 }]);
    });

    it('refuses a gzip bomb with 413 before inflating it whole, and oversized messages and batches', async () => {
      const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, ' '));
      expect(bomb.length).toBeLessThan(64 * 1024);
      const res = await post('/v1/batch', bomb, { 'Content-Encoding': 'gzip' });
      expect(res.status).toBe(413);
      const big = await post('/v1/track', { userId: 'big', event: 'X', properties: { blob: 'x'.repeat(33 * 1024) } });
      expect(big.status).toBe(413);
      const inBatch = await post('/v1/batch', {
        batch: [{ type: 'track', userId: 'big', event: 'X', properties: { blob: 'x'.repeat(33 * 1024) } }],
      });
      expect(inBatch.status).toBe(400);
      expect(((await inBatch.json()) as { error: { details: Array<{ field: string }> } }).error.details[0].field).toBe('batch[0]');
      const huge = await post('/v1/batch', {
        batch: Array.from({ length: 20 }, () => ({
          type: 'track',
          userId: 'big',
          event: 'X',
          properties: { blob: 'x'.repeat(30 * 1024) },
        })),
      });
      expect(huge.status).toBe(413);
      expect((await analyticsOf('big')).total_activities).toBe(0);
    });

    it('answers 400 naming the message and field, storing nothing of the batch', async () => {
      const res = await post('/v1/batch', {
        batch: [
          { type: 'track', userId: 'strict', event: 'Fine' },
          { type: 'track', userId: 'strict' },
          { type: 'alias', previousId: 'x' },
          { type: 'unknown', userId: 'strict' },
          { type: 'page', properties: { path: '/' } },
          { type: 'track', userId: 'strict', event: 'Bad ip', context: { ip: 'not-an-ip' } },
        ],
      });
      expect(res.status).toBe(400);
      const fields = ((await res.json()) as { error: { details: Array<{ field: string }> } }).error.details.map((d) => d.field);
      expect(fields).toEqual(['batch[1].event', 'batch[2].userId', 'batch[3].type', 'batch[4].userId', 'batch[5].context.ip']);
      expect((await analyticsOf('strict')).total_activities).toBe(0);
      expect((await post('/v1/track', '{"userId": ')).status).toBe(400);
    });

    it('stores a repeated messageId once, and corrects the timestamp by sentAt', async () => {
      const now = Date.now();
      const message = {
        userId: 'skew',
        event: 'Clicked',
        messageId: 'm-1',
        timestamp: new Date(now - 3_600_000 + 60_000).toISOString(),
        sentAt: new Date(now + 60_000).toISOString(),
      };
      expect((await post('/v1/track', message)).status).toBe(200);
      expect((await post('/v1/track', message)).status).toBe(200);
      const rows: Array<{ timestamp: string }> = await db.query("SELECT timestamp FROM user_activities WHERE user_id = 'skew'");
      expect(rows).toHaveLength(1);
      // The client clock runs a minute fast: the event happened about an hour before it arrived.
      const happened = new Date(`${rows[0].timestamp.replace(' ', 'T')}${rows[0].timestamp.endsWith('Z') ? '' : 'Z'}`).getTime();
      expect(Math.abs(happened - (now - 3_600_000))).toBeLessThan(5_000);
    });

    it('answers 429 with Retry-After under overload, storing nothing of the refused calls', async () => {
      await t.close();
      t = await createTestApp({ realClock: true, env: { INGEST_MAX_PENDING: '2' } });
      engage = await listen(t.app.getHttpServer() as Server);
      const runner = t.app.get<TransactionRunner>(ACTIVITY_TRANSACTIONS);
      const slow = runner.run(() => new Promise((resolve) => setTimeout(resolve, 400)));
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => post('/v1/track', { userId: 'flood', event: 'Clicked', messageId: `f-${i}` })),
      );
      await slow;
      const limited = results.filter((r) => r.status === 429);
      const stored = results.filter((r) => r.status === 200);
      expect(limited.length).toBeGreaterThan(0);
      expect(stored.length + limited.length).toBe(20);
      expect(limited[0].headers.get('retry-after')).toBe('1');
      expect((await analyticsOf('flood')).total_activities).toBe(stored.length);
    });

    it('lets a publishable key alias only an anonymous visitor, and a secret key merge a known user', async () => {
      const asSite = (path: string, body: Record<string, unknown>) =>
        fetch(`${engage}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'text/plain' },
          body: JSON.stringify({ ...body, writeKey: t.trackKey }),
        });
      await post('/v1/track', { userId: 'victim', event: 'Paid', properties: { amount: 10 } });
      await post('/v1/identify', { userId: 'victim', traits: { email: 'victim@example.com' } });
      await post('/v1/identify', { userId: 'victim', anonymousId: 'victim-phone' });
      await asSite('/v1/track', { anonymousId: 'visitor-9', event: 'Browsed' });
      // From a browser: the visitor's own anonymous history moves; the known user's data stays put.
      expect((await asSite('/v1/alias', { previousId: 'victim', userId: 'attacker' })).status).toBe(200);
      expect((await asSite('/v1/alias', { previousId: 'visitor-9', userId: 'attacker' })).status).toBe(200);
      const attacker = await exportOf('attacker');
      expect(attacker.activities.map((a: { activity_type: string }) => a.activity_type)).toEqual(['Browsed']);
      expect(attacker.traits).toBeNull();
      expect((await exportOf('victim')).traits.traits).toEqual({ email: 'victim@example.com' });
      expect((await analyticsOf('victim')).total_activities).toBe(1);

      // From the host's backend: the old user id is merged, and its identified devices follow.
      expect((await post('/v1/alias', { previousId: 'victim', userId: 'renamed' })).status).toBe(200);
      const renamed = await exportOf('renamed');
      expect(renamed.activities.map((a: { activity_type: string }) => a.activity_type)).toEqual(['Paid']);
      expect(renamed.traits.traits).toEqual({ email: 'victim@example.com' });
      expect((await analyticsOf('renamed')).total_activities).toBe(1);
      expect((await analyticsOf('victim')).total_activities).toBe(0);
      await post('/v1/track', { anonymousId: 'victim-phone', event: 'Opened' });
      expect((await analyticsOf('renamed')).total_activities).toBe(2);
    });

    it('never refuses identify or alias for the traits already stored: the oldest keys give way', async () => {
      const big = (prefix: string) => Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`${prefix}${i}`, 'x'.repeat(1000)]));
      expect((await post('/v1/identify', { anonymousId: 'heavy-visitor', traits: big('a') })).status).toBe(200);
      expect((await post('/v1/identify', { userId: 'heavy', traits: big('u') })).status).toBe(200);
      expect((await post('/v1/identify', { userId: 'heavy', traits: { plan: 'pro' } })).status).toBe(200);
      await post('/v1/track', { anonymousId: 'heavy-visitor', event: 'Clicked' });
      // The original API's identify, with no traits of its own, merges the visitor all the same.
      const identified = await fetch(`${engage}/api/activity/identify`, {
        method: 'POST',
        headers: { 'X-API-Key': TEST_ADMIN_KEY, 'Content-Type': 'application/json' },
        body: JSON.stringify({ anonymous_id: 'heavy-visitor', user_id: 'heavy' }),
      });
      expect(identified.status).toBe(200);
      const stored = (await exportOf('heavy')).traits.traits as Record<string, string>;
      expect(Buffer.byteLength(JSON.stringify(stored))).toBeLessThanOrEqual(32 * 1024);
      expect(stored.plan).toBe('pro');
      expect(stored.u20).toBe('x'.repeat(1000));
      expect((await analyticsOf('heavy')).total_activities).toBe(1);
    });

    it('answers 400, not 500, to a batch body that is not an object, and reads paths as Express routes them', async () => {
      const array = await post('/v1/batch', [{ type: 'track', userId: 'shape', event: 'X' }]);
      expect(array.status).toBe(400);
      expect(((await array.json()) as { error: { details: Array<{ field: string }> } }).error.details[0].field).toBe('body');
      // A trailing slash or capitals reach the same route, with the same body limit and text/plain parsing.
      const batch = {
        batch: Array.from({ length: 8 }, (_, i) => ({
          type: 'track',
          userId: 'shape',
          event: 'X',
          properties: { blob: 'y'.repeat(20 * 1024), i },
        })),
      };
      expect((await post('/v1/batch/', batch)).status).toBe(200);
      const upper = await fetch(`${engage}/V1/TRACK`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/plain' },
        body: JSON.stringify({ userId: 'shape', event: 'Y', writeKey: t.trackKey }),
      });
      expect(upper.status).toBe(200);
      // Segment bounds the message, not each of its objects: 20 KB of properties is a valid page.
      expect((await post('/v1/page', { userId: 'shape', properties: { path: '/big', blob: 'z'.repeat(20 * 1024) } })).status).toBe(200);
      expect((await analyticsOf('shape')).total_activities).toBe(10);
    });

    it('serves analytics.js its settings for a publishable key only, to any origin', async () => {
      const res = await fetch(`${engage}/v1/projects/${t.trackKey}/settings`, { headers: { Origin: 'https://shop.example' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('access-control-allow-origin')).toBe('*');
      const host = new URL(engage).host;
      expect(await res.json()).toEqual({
        integrations: { 'Segment.io': { apiKey: t.trackKey, apiHost: `${host}/v1`, protocol: 'http' } },
        metrics: { sampleRate: 0 },
      });
      expect(res.headers.get('cache-control')).toBe('no-store');
      // A secret key in a URL would end up in logs and browser history; the key in the path is the
      // credential, whatever header comes with it.
      expect((await fetch(`${engage}/v1/projects/${TEST_ADMIN_KEY}/settings`)).status).toBe(401);
      expect(
        (await fetch(`${engage}/v1/projects/${TEST_ADMIN_KEY}/settings`, { headers: { Authorization: `Bearer ${t.trackKey}` } })).status,
      ).toBe(401);
      expect((await fetch(`${engage}/v1/projects/bogus/settings`, { headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` } })).status).toBe(
        401,
      );
      expect((await fetch(`${engage}/v1/projects/egk_never_issued_000000000000000000/settings`)).status).toBe(401);
      // Likewise ?key= on any route: a secret key there is refused even beside a good header.
      const beside = await fetch(`${engage}/api/activity/track?key=${TEST_ADMIN_KEY}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${t.trackKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ user_id: 'url', activity_type: 'click' }),
      });
      expect(beside.status).toBe(401);
      expect((await analyticsOf('url')).total_activities).toBe(0);
      const preflight = await fetch(`${engage}/v1/t`, {
        method: 'OPTIONS',
        headers: {
          Origin: 'https://shop.example',
          'Access-Control-Request-Method': 'POST',
          'Access-Control-Request-Headers': 'authorization,x-retry-count',
        },
      });
      expect(preflight.status).toBeLessThan(300);
      expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
      expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-retry-count');
    });
  });
});
