import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { AnalyticsJsPage, startAnalyticsJsPage } from './support/analytics-js-page';
import { createTestApp, TestApp, USER_AGENTS } from './support/test-app';

const HOST = '127.0.0.1';
/** How long Engage may take to show what the browser sent (deliveries, retries). */
const ARRIVAL_TIMEOUT_MS = 10_000;
const TEST_TIMEOUT_MS = 20_000;

/**
 * What the page's `window.analytics` offers (analytics-next's AnalyticsBrowser, buffered until
 * it has loaded): each call resolves once its delivery was attempted. The project compiles
 * without the DOM library, so the page's globals are reached through this type.
 */
interface PageAnalytics {
  page(): Promise<unknown>;
  track(event: string, properties?: Record<string, unknown>): Promise<unknown>;
  identify(userId: string, traits?: Record<string, unknown>): Promise<unknown>;
  user(): Promise<{ anonymousId(): string | null }>;
}

interface Visit {
  context: BrowserContext;
  page: Page;
  /** Every request the page made, to any host. */
  requests: URL[];
  /** The page's calls to Engage, e.g. `POST /v1/t 200`, once none is in flight (bounded wait). */
  engageCalls(): Promise<string[]>;
}

interface ExportedActivity {
  activity_type: string;
  page_url: string | null;
  referrer: string | null;
  event_id: string | null;
  user_agent: string | null;
  is_bot: boolean;
  anonymous_id: string | null;
  session_id: string | null;
}
interface UserExport {
  activities: ExportedActivity[];
  sessions: Array<Record<string, unknown>>;
  traits: { traits: Record<string, unknown>; updated_at: string } | null;
  identities: Array<Record<string, unknown>>;
}
interface RankedCount {
  key: string;
  count: number;
}
interface UserAnalytics {
  total_activities: number;
  total_sessions: number;
  most_visited_pages: RankedCount[];
  favorite_features: RankedCount[];
  devices: RankedCount[];
  top_referrers: RankedCount[];
}

// Segment's own browser library (analytics-next) in real headless Chromium, loaded from a page on
// another origin with Engage as its settings CDN and tracking API: what a customer site does.
describe("analytics.js (Segment's browser library) against Engage in Chromium (e2e)", () => {
  let t: TestApp;
  let engageBaseUrl: string;
  let browser: Browser;
  const pages: AnalyticsJsPage[] = [];

  beforeAll(async () => {
    t = await createTestApp({ realClock: true });
    await t.app.listen(0, HOST);
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    engageBaseUrl = `http://${HOST}:${port}`;
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all(pages.map((page) => page.close()));
    await t?.close();
  });

  async function servePage(batching = false): Promise<AnalyticsJsPage> {
    const page = await startAnalyticsJsPage({ engageBaseUrl, writeKey: t.trackKey, batching });
    pages.push(page);
    return page;
  }

  /**
   * A fresh browser context (its own storage, so a new anonymousId) on the test page; every
   * request it makes is recorded so the test can show nothing left 127.0.0.1.
   */
  async function openPage(url: string, options: { userAgent?: string; referer?: string } = {}): Promise<Visit> {
    const { userAgent, referer } = options;
    const context = await browser.newContext(userAgent ? { userAgent } : {});
    context.setDefaultTimeout(ARRIVAL_TIMEOUT_MS);
    const requests: URL[] = [];
    // Engage's answers as the page saw them, in the order the requests were made.
    const calls: Array<{ call: string; outcome?: string }> = [];
    const byRequest = new Map<Request, { call: string; outcome?: string }>();
    try {
      const page = await context.newPage();
      page.on('request', (request) => {
        const address = new URL(request.url());
        requests.push(address);
        if (address.origin !== engageBaseUrl) return;
        const entry = { call: `${request.method()} ${address.pathname}` };
        calls.push(entry);
        byRequest.set(request, entry);
      });
      page.on('requestfinished', (request) => {
        const entry = byRequest.get(request);
        if (entry) void request.response().then((response) => (entry.outcome = String(response?.status() ?? 'no response')));
      });
      page.on('requestfailed', (request) => {
        const entry = byRequest.get(request);
        if (entry) entry.outcome = `failed: ${request.failure()?.errorText ?? 'unknown'}`;
      });
      await page.goto(url, referer ? { referer } : {});
      const engageCalls = async () => {
        const settled = await waitFor(
          async () => calls.map((entry) => `${entry.call} ${entry.outcome ?? 'pending'}`),
          (list) => !list.some((call) => call.endsWith(' pending')),
        );
        return settled;
      };
      return { context, page, requests, engageCalls };
    } catch (error) {
      await context.close();
      throw error;
    }
  }

  /** Only the page's server and Engage, both on 127.0.0.1, were asked for anything. */
  function expectOnlyLocalRequests(requests: URL[]): void {
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => url.hostname !== HOST).map(String)).toEqual([]);
  }

  async function exportOf(userId: string): Promise<UserExport> {
    const response = await t.http.get(`/api/users/${encodeURIComponent(userId)}/export`).expect(200);
    return response.body as UserExport;
  }

  async function analyticsOfUser(userId: string): Promise<UserAnalytics> {
    const response = await t.http.get(`/api/analytics/user/${encodeURIComponent(userId)}`).expect(200);
    return (response.body as { analytics: UserAnalytics }).analytics;
  }

  /** Polls `read` until `done` holds (bounded), and returns the last reading either way. */
  async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + ARRIVAL_TIMEOUT_MS;
    let value = await read();
    while (!done(value) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      value = await read();
    }
    return value;
  }

  it(
    'records a real visitor: anonymous page and track, identify, then a track as the user',
    async () => {
      const site = await servePage();
      // Arriving from a link elsewhere: the page's document.referrer, which analytics.js reports.
      const visit = await openPage(site.url, { userAgent: USER_AGENTS.chrome, referer: 'http://news.example.com/story?id=7' });
      try {
        // Each call is awaited (one delivery attempt) so that Engage gets them in this order.
        const anonymousId = await visit.page.evaluate(async () => {
          const analytics = (globalThis as unknown as { analytics: PageAnalytics }).analytics;
          await analytics.page();
          await analytics.track('Signed Up', { plan: 'pro' });
          const before = (await analytics.user()).anonymousId();
          await analytics.identify('ajs-user-1', { email: 'ada@example.com' });
          await analytics.track('Upgraded');
          return before;
        });
        expect(anonymousId).toEqual(expect.any(String));

        // page, Signed Up and Upgraded are activities; identify is not (it moves and stores traits).
        const stored = await waitFor(
          () => exportOf('ajs-user-1'),
          (data) => data.activities.length >= 3 && data.traits !== null,
        );
        const analytics = await analyticsOfUser('ajs-user-1');

        expect(analytics.total_activities).toBe(3);
        expect(analytics.total_sessions).toBe(1);
        expect(analytics.most_visited_pages).toEqual([{ key: site.url, count: 1 }]);
        expect(analytics.favorite_features.map((feature) => feature.key).sort()).toEqual(['Signed Up', 'Upgraded']);
        expect(analytics.devices).toEqual([{ key: 'desktop', count: 3 }]);
        expect(analytics.top_referrers).toEqual([{ key: 'news.example.com', count: 1 }]);

        expect(stored.traits?.traits).toEqual({ email: 'ada@example.com' });
        expect(stored.identities).toEqual([expect.objectContaining({ anonymous_id: anonymousId, user_id: 'ajs-user-1' })]);
        // Stored once each: no retry or duplicate delivery made a second row.
        expect(stored.activities.map((activity) => activity.activity_type)).toEqual(['page_view', 'Signed Up', 'Upgraded']);
        const eventIds = stored.activities.map((activity) => activity.event_id);
        expect(new Set(eventIds).size).toBe(3);
        for (const activity of stored.activities) {
          expect(activity.event_id).toMatch(/^ajs-/);
          expect(activity.is_bot).toBe(false);
          expect(activity.user_agent).toBe(USER_AGENTS.chrome);
          expect(activity.anonymous_id).toBe(anonymousId);
          expect(activity.page_url).toBe(site.url);
        }
        // The page view carries the referrer (context.page.referrer); the tracks do not.
        expect(stored.activities.map((activity) => activity.referrer)).toEqual(['http://news.example.com/story?id=7', null, null]);
        // The anonymous visit's session moved to the user with its events: one session in all.
        expect(stored.sessions).toHaveLength(1);
        expect(stored.activities.map((activity) => activity.session_id)).toEqual(Array(3).fill(stored.sessions[0].id));
        // Nothing was left behind under the anonymous key.
        const leftBehind = await exportOf(`anon:${anonymousId}`);
        expect(leftBehind.activities).toEqual([]);
        expect(leftBehind.sessions).toEqual([]);

        // One POST per call, each accepted the first time (a failed one would have been retried).
        expect(await visit.engageCalls()).toEqual([
          `GET /v1/projects/${t.trackKey}/settings 200`,
          'POST /v1/p 200',
          'POST /v1/t 200',
          'POST /v1/i 200',
          'POST /v1/t 200',
        ]);
        expectOnlyLocalRequests(visit.requests);
      } finally {
        await visit.context.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "stores a headless crawler's events flagged as a bot and keeps them out of every figure",
    async () => {
      const site = await servePage();
      // No userAgent: Chromium's own headless one, which isbot recognises.
      const visit = await openPage(site.url);
      try {
        const { userAgent, anonymousId } = await visit.page.evaluate(async () => {
          const analytics = (globalThis as unknown as { analytics: PageAnalytics }).analytics;
          await analytics.page();
          await analytics.track('Crawled');
          return {
            userAgent: (globalThis as unknown as { navigator: { userAgent: string } }).navigator.userAgent,
            anonymousId: (await analytics.user()).anonymousId(),
          };
        });
        expect(userAgent).toContain('HeadlessChrome');
        expect(anonymousId).toEqual(expect.any(String));
        const key = `anon:${anonymousId}`;

        const stored = await waitFor(
          () => exportOf(key),
          (data) => data.activities.length >= 2,
        );
        expect(stored.activities.map((activity) => activity.activity_type)).toEqual(['page_view', 'Crawled']);
        for (const activity of stored.activities) {
          expect(activity.is_bot).toBe(true);
          expect(activity.user_agent).toBe(userAgent);
          expect(activity.session_id).toBeNull();
          expect(activity.event_id).toMatch(/^ajs-/);
        }
        expect(stored.sessions).toEqual([]);

        const analytics = await analyticsOfUser(key);
        expect(analytics.total_activities).toBe(0);
        expect(analytics.total_sessions).toBe(0);
        expect(analytics.most_visited_pages).toEqual([]);
        expect(analytics.favorite_features).toEqual([]);
        expect(analytics.devices).toEqual([]);

        expect(await visit.engageCalls()).toEqual([`GET /v1/projects/${t.trackKey}/settings 200`, 'POST /v1/p 200', 'POST /v1/t 200']);
        expectOnlyLocalRequests(visit.requests);
      } finally {
        await visit.context.close();
      }
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'takes the batching dispatcher’s messages through POST /v1/b',
    async () => {
      const site = await servePage(true);
      const visit = await openPage(site.url, { userAgent: USER_AGENTS.chrome });
      try {
        const anonymousId = await visit.page.evaluate(async () => {
          const analytics = (globalThis as unknown as { analytics: PageAnalytics }).analytics;
          // The batching dispatcher resolves these on queueing and posts the batch 200 ms later.
          await Promise.all([analytics.page(), analytics.track('Viewed Pricing', { tier: 'pro' }), analytics.track('Started Trial')]);
          return (await analytics.user()).anonymousId();
        });
        expect(anonymousId).toEqual(expect.any(String));
        const key = `anon:${anonymousId}`;

        const stored = await waitFor(
          () => exportOf(key),
          (data) => data.activities.length >= 3,
        );
        expect(stored.activities.map((activity) => activity.activity_type).sort()).toEqual([
          'Started Trial',
          'Viewed Pricing',
          'page_view',
        ]);
        expect(new Set(stored.activities.map((activity) => activity.event_id)).size).toBe(3);
        for (const activity of stored.activities) {
          expect(activity.event_id).toMatch(/^ajs-/);
          expect(activity.is_bot).toBe(false);
          expect(activity.user_agent).toBe(USER_AGENTS.chrome);
        }
        expect(stored.sessions).toHaveLength(1);
        const analytics = await analyticsOfUser(key);
        expect(analytics.total_activities).toBe(3);
        expect(analytics.most_visited_pages).toEqual([{ key: site.url, count: 1 }]);

        // One batch in practice (its 200 ms window); a slow machine could split it, never use /v1/p or /v1/t.
        const [settings, ...posts] = await visit.engageCalls();
        expect(settings).toBe(`GET /v1/projects/${t.trackKey}/settings 200`);
        expect(posts.length).toBeGreaterThanOrEqual(1);
        expect(new Set(posts)).toEqual(new Set(['POST /v1/b 200']));
        expectOnlyLocalRequests(visit.requests);
      } finally {
        await visit.context.close();
      }
    },
    TEST_TIMEOUT_MS,
  );
});
