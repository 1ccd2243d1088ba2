import { HttpPeer } from './support/http-peer';
import { makeTempDir } from './support/temp-dir';
import { createTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait-for';

const WEBHOOK_SECRET = 'whsec_queue_test_0123456789';

/** The embedded queue's guarantees: restarts lose and duplicate nothing, urgent goes first. */
describe('The embedded delivery queue (e2e)', () => {
  const hooks = new HttpPeer(() => ({ status: 200 }));

  beforeAll(async () => {
    await hooks.start();
  });

  afterAll(async () => {
    await hooks.stop();
  });

  const appOn = (dir: string, env: Record<string, string> = {}) =>
    createTestApp({
      realClock: true,
      dir,
      env: {
        DELIVERY_BACKOFF_MS: '30',
        DELIVERY_POLL_MS: '20',
        WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET,
        WEBHOOK_DEFAULT_URL: `${hooks.url}/hook`,
        ...env,
      },
    });

  const sendWebhook = async (t: TestApp, title: string, extra: Record<string, unknown> = {}) =>
    (
      await t.http
        .post('/api/notifications/send')
        .send({ user_id: 'queue-user', title, message: 'm', notification_type: 'test', channel: 'webhook', ...extra })
        .expect(201)
    ).body.notification_id as string;

  const titlesReceived = () => hooks.requests.map((r) => (JSON.parse(r.text) as { title: string }).title);

  it('delivers after a restart what was queued before it, each exactly once', async () => {
    const dir = makeTempDir('engage-restart-');
    hooks.requests.length = 0;
    try {
      const first = await appOn(dir.path);
      // Due in a moment, so they are still queued when this process stops.
      const at = new Date(Date.now() + 700).toISOString();
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(await sendWebhook(first, `restart-${i}`, { scheduled_at: at }));
      await first.close();
      expect(hooks.requests).toHaveLength(0);

      const second = await appOn(dir.path);
      try {
        await waitFor(async () => (hooks.requests.length >= 5 ? true : undefined), 10_000, 'five deliveries');
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(titlesReceived().sort()).toEqual(['restart-0', 'restart-1', 'restart-2', 'restart-3', 'restart-4']);
        for (const id of ids) {
          const res = await second.http.get(`/api/notifications/${id}/deliveries`).expect(200);
          expect(res.body.status).toBe('delivered');
          expect(res.body.deliveries).toHaveLength(1);
        }
      } finally {
        await second.close();
      }
    } finally {
      dir.remove();
    }
  });

  it('resumes a job its process was killed in the middle of (left running), and finishes it once', async () => {
    const dir = makeTempDir('engage-crash-');
    hooks.requests.length = 0;
    try {
      const first = await appOn(dir.path);
      const id = await sendWebhook(first, 'crashed', { scheduled_at: new Date(Date.now() + 60_000).toISOString() });
      await first.close();
      // What a process killed mid-delivery leaves behind: the job marked running, under lease.
      const Database = (await import('better-sqlite3')).default;
      const db = new Database(`${dir.path}/notifications.db`);
      db.prepare("UPDATE delivery_jobs SET state = 'running', run_at = ?, lease_until = ? WHERE notification_id = ?").run(
        '2020-01-01 00:00:00.000',
        '2999-01-01 00:00:00.000',
        id,
      );
      db.close();

      const second = await appOn(dir.path);
      try {
        await waitFor(async () => (hooks.requests.length >= 1 ? true : undefined), 10_000, 'the resumed delivery');
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(titlesReceived()).toEqual(['crashed']);
      } finally {
        await second.close();
      }
    } finally {
      dir.remove();
    }
  });

  it('takes urgent jobs before low ones', async () => {
    const dir = makeTempDir('engage-priority-');
    hooks.requests.length = 0;
    try {
      const t = await appOn(dir.path, { DELIVERY_CONCURRENCY: '1' });
      try {
        const at = new Date(Date.now() + 500).toISOString();
        for (let i = 0; i < 3; i++) await sendWebhook(t, `low-${i}`, { priority: 'low', scheduled_at: at });
        await sendWebhook(t, 'normal', { scheduled_at: at });
        await sendWebhook(t, 'urgent', { priority: 'urgent', scheduled_at: at });
        await waitFor(async () => (hooks.requests.length >= 5 ? true : undefined), 10_000, 'five deliveries');
        expect(titlesReceived()).toEqual(['urgent', 'normal', 'low-0', 'low-1', 'low-2']);
      } finally {
        await t.close();
      }
    } finally {
      dir.remove();
    }
  });
});
