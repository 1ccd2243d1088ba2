import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { PROJECT_ROOT } from './support/service-process';
import { createTestApp, type TestApp, USER_AGENTS } from './support/test-app';
import { waitFor } from './support/wait-for';

const HOST = '127.0.0.1';
const TEST_TIMEOUT_MS = 30_000;
/** The tracker's budget: 3 KB gzipped (the issue's; Umami's is 2.2 KB, PostHog's 90–125 KB). */
const TRACKER_BUDGET_BYTES = 3 * 1024;

interface StoredActivity {
  activity_type: string;
  page_url: string | null;
  referrer: string | null;
  event_id: string | null;
  metadata: Record<string, unknown> | null;
  is_bot: boolean;
}

/** What the page's `window.engage` offers (the project compiles without the DOM library). */
interface PageEngage {
  track(type: string, metadata?: Record<string, unknown>): void;
  identify(userId: string): void;
  consent(granted: boolean): void;
  flush(): Promise<void>;
}
declare const engage: PageEngage;
declare const localStorage: { getItem(key: string): string | null };
declare const navigator: object;
declare const location: { hash: string };
/** Pairs in a stable order: events sent within one millisecond share a timestamp, and the export orders by it. */
const sorted = (pairs: Array<Array<string | null>>) => pairs.map((pair) => pair.join(' ')).sort();
declare const history: {
  pushState(state: unknown, title: string, url: string): void;
  replaceState(s: unknown, t: string, u: string): void;
  back(): void;
};

describe('Browser tracker in Chromium (e2e)', () => {
  let t: TestApp;
  let browser: Browser;
  let site: Server;
  let siteUrl: string;
  let engageUrl: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    t = await createTestApp({ realClock: true });
    await t.app.listen(0, HOST);
    engageUrl = `http://${HOST}:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    // A customer's site on another origin, loading the tracker from Engage with a script tag.
    site = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://site').pathname;
      response.setHeader('Content-Type', 'text/html; charset=utf-8');
      // /app: a hash-routed app that starts the tracker itself, with hashRoutes.
      const tag =
        path === '/app'
          ? `<script src="${engageUrl}/tracker.js"></script><script>engage.init({ key: '${t.trackKey}', endpoint: '${engageUrl}', hashRoutes: true })</script>`
          : `<script src="${engageUrl}/tracker.js" data-key="${t.trackKey}"></script>`;
      response.end(
        `<!doctype html><html><head><title>Shop ${path}</title>${tag}</head>` +
          `<body><h1>${path}</h1><a href="/elsewhere">elsewhere</a></body></html>`,
      );
    });
    site.listen(0, HOST);
    await once(site, 'listening');
    siteUrl = `http://${HOST}:${(site.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await t?.close();
  });

  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((context) => context.close()));
  });

  async function visit(path = '/', init?: () => void): Promise<Page> {
    const context = await browser.newContext({ userAgent: USER_AGENTS.chrome });
    contexts.push(context);
    if (init) await context.addInitScript(init);
    const page = await context.newPage();
    await page.goto(`${siteUrl}${path}`);
    return page;
  }
  const anonymousIdOf = (page: Page) => page.evaluate(() => localStorage.getItem('engage_aid'));
  async function activitiesOf(userId: string): Promise<StoredActivity[]> {
    const res = await t.http.get(`/api/users/${encodeURIComponent(userId)}/export`).expect(200);
    return res.body.activities as StoredActivity[];
  }
  /** Waits until the user has `count` activities stored, then a little longer to see that no more come. */
  async function arrived(userId: string, count: number): Promise<StoredActivity[]> {
    await waitFor(
      async () => ((await activitiesOf(userId)).length >= count ? true : undefined),
      10_000,
      `${count} activities of ${userId}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    return activitiesOf(userId);
  }

  it('is served to any site, small, cached and revalidated', async () => {
    const built = readFileSync(join(PROJECT_ROOT, 'dist', 'public', 'tracker.js'));
    expect(gzipSync(built, { level: 9 }).length).toBeLessThanOrEqual(TRACKER_BUDGET_BYTES);
    const res = await t.anon.get('/tracker.js').expect(200);
    expect(res.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    await t.anon.get('/tracker.js').set('If-None-Match', res.headers.etag).expect(304);
    await t.anon.get('/tracker.mjs').expect(200);
  });

  it(
    'counts the page view, single-page navigations (push, replace, back) once each, and custom events',
    async () => {
      const page = await visit('/home');
      await page.evaluate(async () => {
        history.pushState({}, '', '/products');
        history.pushState({}, '', '/products'); // the same URL within 300 ms: one view
        history.replaceState({}, '', '/products'); // routers save scroll state so: not a view
        history.replaceState({}, '', '/products?sort=price'); // a new URL: a view
        engage.track('add_to_cart', { sku: 'A-1' });
        history.back(); // to the entry the first push made: /products
        await new Promise((resolve) => setTimeout(resolve, 100));
        await engage.flush();
      });
      const anonymousId = await anonymousIdOf(page);
      expect(anonymousId).toEqual(expect.any(String));
      // Engaged time on a page left is an `engagement` event: how much depends on the machine's speed.
      const stored = (await arrived(`anon:${anonymousId}`, 5)).filter((a) => a.activity_type !== 'engagement');
      expect(sorted(stored.map((a) => [a.activity_type, a.page_url]))).toEqual(
        sorted([
          ['page_view', '/home'],
          ['page_view', '/products'],
          ['page_view', '/products?sort=price'],
          ['add_to_cart', '/products?sort=price'],
          ['page_view', '/products'],
        ]),
      );
      expect(stored.find((a) => a.page_url === '/products')?.referrer).toBe(`${siteUrl}/home`);
      expect(stored.find((a) => a.activity_type === 'add_to_cart')?.metadata).toEqual({ sku: 'A-1' });
      expect(stored.every((a) => a.event_id !== null && !a.is_bot)).toBe(true);
      // One visit: Engage made it a session of its own (automatic sessions), with the pages in order.
      const sessions = (await t.http.get(`/api/users/${encodeURIComponent(`anon:${anonymousId}`)}/export`).expect(200)).body.sessions;
      expect(sessions).toHaveLength(1);
      expect(sessions[0]).toMatchObject({ entry_page: '/home', is_bot: false });
      expect(sessions[0].pages_visited).toEqual(['/home', '/products', '/products?sort=price']);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'counts hash-route changes as page views when the page asks for it',
    async () => {
      const page = await visit('/app#/inbox');
      await page.evaluate(async () => {
        location.hash = '#/settings';
        await new Promise((resolve) => setTimeout(resolve, 100));
        await engage.flush();
      });
      const stored = await arrived(`anon:${await anonymousIdOf(page)}`, 2);
      expect(
        stored
          .filter((a) => a.activity_type === 'page_view')
          .map((a) => a.page_url)
          .sort(),
      ).toEqual(['/app#/inbox', '/app#/settings']);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'keeps events made offline and sends them, once each, when the connection is back',
    async () => {
      const page = await visit('/');
      const anonymousId = await anonymousIdOf(page);
      await arrived(`anon:${anonymousId}`, 1);
      await page.context().setOffline(true);
      await page.evaluate(async () => {
        engage.track('offline_1');
        engage.track('offline_2');
        await engage.flush();
      });
      await page.context().setOffline(false);
      // The retry after its backoff (1 s) sends them; a new page on the site would too.
      const stored = await arrived(`anon:${anonymousId}`, 3);
      expect(
        stored
          .map((a) => a.activity_type)
          .filter((type) => type !== 'engagement')
          .sort(),
      ).toEqual(['offline_1', 'offline_2', 'page_view']);
      // Loading another page re-sends whatever IndexedDB still holds: stored once, whatever the repeats.
      await page.goto(`${siteUrl}/elsewhere`);
      await page.evaluate(() => engage.flush());
      await waitFor(
        async () => ((await activitiesOf(`anon:${anonymousId}`)).some((a) => a.page_url === '/elsewhere') ? true : undefined),
        10_000,
        'the second page view',
      );
      const after = await arrived(`anon:${anonymousId}`, 4);
      expect(new Set(after.map((a) => a.event_id)).size).toBe(after.length);
      const types = after.map((a) => a.activity_type).filter((type) => type !== 'engagement');
      expect(types.sort()).toEqual(['offline_1', 'offline_2', 'page_view', 'page_view']);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'sends what waits when the page goes away, and the time the visitor spent on it',
    async () => {
      const page = await visit('/article');
      const anonymousId = await anonymousIdOf(page);
      await page.mouse.move(10, 10);
      await page.waitForTimeout(1200);
      await page.evaluate(() => engage.track('read_to_end'));
      // Straight away, before the 5 s batch timer: pagehide sends it by beacon.
      await page.click('a');
      await page.waitForURL(`${siteUrl}/elsewhere`);
      const stored = await arrived(`anon:${anonymousId}`, 4);
      const types = stored.map((a) => a.activity_type);
      expect(types.filter((type) => type === 'read_to_end')).toHaveLength(1);
      const engagement = stored.find((a) => a.activity_type === 'engagement');
      expect(engagement).toMatchObject({ page_url: '/article' });
      expect(engagement?.metadata?.engaged_ms).toBeGreaterThanOrEqual(1000);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'honours Global Privacy Control until the visitor consents',
    async () => {
      const requests: string[] = [];
      const page = await visit('/', () => Object.defineProperty(navigator, 'globalPrivacyControl', { value: true }));
      page.on('request', (request) => requests.push(request.url()));
      await page.evaluate(async () => {
        engage.track('ignored');
        await engage.flush();
      });
      expect(await anonymousIdOf(page)).toBeNull(); // not even an id is stored
      expect(requests.filter((url) => url.includes('/api/activity/'))).toEqual([]);
      await page.evaluate(async () => {
        engage.consent(true);
        await engage.flush();
      });
      const anonymousId = await anonymousIdOf(page);
      const stored = await arrived(`anon:${anonymousId}`, 1);
      expect(stored.map((a) => [a.activity_type, a.page_url])).toEqual([['page_view', '/']]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'identifies the visitor: their anonymous events become the user’s, and later ones are the user’s',
    async () => {
      const page = await visit('/signup');
      await arrived(`anon:${await anonymousIdOf(page)}`, 1);
      await page.evaluate(async () => {
        engage.identify('tracker-user-1');
        await new Promise((resolve) => setTimeout(resolve, 300));
        engage.track('signed_up');
        await engage.flush();
      });
      const stored = await arrived('tracker-user-1', 2);
      expect(stored.map((a) => [a.activity_type, a.page_url])).toEqual([
        ['page_view', '/signup'],
        ['signed_up', '/signup'],
      ]);
    },
    TEST_TIMEOUT_MS,
  );
});
