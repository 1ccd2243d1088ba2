import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from './support/chromium';
import { PROJECT_ROOT } from './support/service-process';
import { createTestApp, type TestApp, USER_AGENTS } from './support/test-app';
import { waitFor } from './support/wait-for';

const HOST = '127.0.0.1';
const ARTIFACTS = join(PROJECT_ROOT, 'test', 'artifacts');
/** The bar: a notification sent through the API shows on the bell within 2 s, without a reload. */
const LIVE_MS = 2000;

interface PageElement {
  getAttribute(name: string): string | null;
}
declare const document: { activeElement: PageElement | null; querySelectorAll(selector: string): Iterable<PageElement> };

describe('The demo page at / in Chromium: bell, settings and tracker (e2e)', () => {
  let t: TestApp;
  let browser: Browser;
  let base: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    t = await createTestApp({ realClock: true });
    await t.app.listen(0, HOST);
    base = `http://${HOST}:${(t.app.getHttpServer().address() as AddressInfo).port}`;
    browser = await launchChromium();
    context = await browser.newContext({ userAgent: USER_AGENTS.chrome, viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const bell = () => page.getByRole('button', { name: /^Notifications/ });
  const send = (title: string) =>
    t.http
      .post('/api/notifications/send')
      .send({ user_id: 'demo-user', title, message: 'From the test', notification_type: 'comment', channel: 'in_app' })
      .expect(201);
  const expectBellName = async (name: string, timeout = LIVE_MS) => {
    await page.waitForFunction(
      (wanted) => [...document.querySelectorAll('button')].some((b) => b.getAttribute('aria-label') === wanted),
      name,
      { timeout },
    );
  };
  const axe = async (include: string) => {
    const results = await new AxeBuilder({ page }).include(include).analyze();
    return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  };

  it('shows a notification sent through the API live, opens by keyboard, marks read, saves a preference, resumes after a reload, and passes axe', async () => {
    await page.goto(`${base}/`);
    await expectBellName('Notifications', 10_000);

    await send('Your order shipped');
    await expectBellName('Notifications, 1 unread');

    // Open by keyboard: focus moves into the dialog.
    await bell().focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Notifications' });
    await dialog.waitFor();
    expect(await bell().getAttribute('aria-expanded')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('tab');
    await dialog.getByText('Your order shipped').waitFor();
    expect(await axe('.engage-bell')).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'demo-bell-open.png') });

    // Opening it marks it read; the API agrees.
    await dialog.getByRole('button', { name: /Your order shipped/ }).click();
    await expectBellName('Notifications');
    const counts = await t.http.get('/api/notifications/user/demo-user/counts').expect(200);
    expect(counts.body.counts).toMatchObject({ unread: 0, unseen: 0 });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-expanded'))).toBe('false');

    // A preference switch, saved through the API.
    const emailComments = page.getByRole('switch', { name: 'Comments: Email' });
    expect(await emailComments.getAttribute('aria-checked')).toBe('true');
    await emailComments.click();
    await page.getByRole('status').filter({ hasText: 'Saved' }).waitFor();
    const matrix = await t.http.get('/api/notifications/preferences/demo-user?view=matrix').expect(200);
    const comments = matrix.body.types.find((type: { notification_type: string }) => type.notification_type === 'comment');
    expect(comments.cells.find((cell: { channel: string }) => cell.channel === 'email')).toMatchObject({
      enabled: false,
      source: 'user_type_channel',
    });
    expect(await page.getByRole('switch', { name: 'Security alerts: Email' }).getAttribute('aria-disabled')).toBe('true');
    expect(await axe('.demo-aside')).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'demo-settings.png'), fullPage: true });

    // After a reload the stream is back: the next notification shows live again.
    await page.reload();
    await expectBellName('Notifications', 10_000);
    await page.waitForTimeout(300);
    await send('Second one');
    await expectBellName('Notifications, 1 unread');
  }, 60_000);

  it('records the page views of the tracker it runs, including a navigation without a reload', async () => {
    await page.goto(`${base}/`);
    await expectBellName('Notifications, 1 unread', 10_000);
    await page.getByRole('link', { name: 'Pricing' }).click();
    await page.getByRole('heading', { name: 'Pricing' }).waitFor();
    const views = await waitFor(
      async () => {
        const exported = await t.http.get('/api/users/demo-user/export').expect(200);
        const pages = (exported.body.activities as Array<{ activity_type: string; page_url: string }>)
          .filter((a) => a.activity_type === 'page_view')
          .map((a) => a.page_url);
        return pages.includes('/pricing') ? pages : undefined;
      },
      15_000,
      'the tracker’s page views',
    );
    expect(views).toEqual(expect.arrayContaining(['/', '/pricing']));
  }, 30_000);

  it('shares one stream connection between two tabs of the user, and every tab hears each notification', async () => {
    // A browser context of its own (locks and channels are per context): the earlier tests' tab would hold the connection.
    const own = await browser.newContext({ userAgent: USER_AGENTS.chrome });
    const streams: string[] = [];
    const watch = (tab: Page) =>
      tab.on('request', (request) => request.url().includes('/api/notifications/stream?') && streams.push(request.url()));
    const first = await own.newPage();
    const second = await own.newPage();
    watch(first);
    watch(second);
    for (const tab of [first, second]) {
      await tab.goto(`${base}/`);
      await tab.getByRole('button', { name: /^Notifications/ }).waitFor();
    }
    await waitFor(async () => (streams.length > 0 ? true : undefined), 5_000, 'a tab to connect');
    await first.waitForTimeout(500);
    const unread = async () => (await t.http.get('/api/notifications/user/demo-user/counts').expect(200)).body.counts.unread as number;
    await send('To both tabs');
    const name = `Notifications, ${await unread()} unread`;
    for (const tab of [first, second]) await tab.getByRole('button', { name, exact: true }).waitFor({ timeout: LIVE_MS });
    // The tab that opened first holds the user's connection (Web Locks); the other hears its events over BroadcastChannel.
    expect(streams).toHaveLength(1);
    // It goes away: the other takes the connection over, resuming after the last event it heard.
    await first.close();
    await waitFor(async () => (streams.length === 2 ? true : undefined), 5_000, 'the second tab to connect');
    expect(new URL(streams[1]).searchParams.get('last_event_id')).toMatch(/^\d+$/);
    await send('After the first tab closed');
    await second.getByRole('button', { name: `Notifications, ${await unread()} unread`, exact: true }).waitFor({ timeout: LIVE_MS });
    await own.close();
  }, 60_000);

  it('gives a demo session only to a browser on this machine, not through a proxy', async () => {
    await t.anon.post('/demo/session').set('X-Forwarded-For', '203.0.113.9').expect(403);
    const session = await t.anon.post('/demo/session').expect(200);
    expect(session.body).toMatchObject({ user_id: 'demo-user', token: expect.any(String), track_key: expect.stringMatching(/^egk_/) });
  });
});
