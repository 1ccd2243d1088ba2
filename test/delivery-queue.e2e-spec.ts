import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { HttpPeer } from './support/http-peer';
import { PROJECT_ROOT } from './support/service-process';
import { makeTempDir } from './support/temp-dir';
import { createTestApp, TEST_ADMIN_KEY, TestApp, LOCAL_PEERS_ALLOWED } from './support/test-app';
import { waitFor } from './support/wait-for';

const WEBHOOK_SECRET = 'whsec_queue_test_0123456789';

const QUEUES: Array<[string, Record<string, string>]> = [
  ['the embedded queue', {}],
  ['BullMQ on Redis', { REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379' }],
];

/** The queue's guarantees on both backends: restarts lose and duplicate nothing, urgent goes first. */
describe.each(QUEUES)('Delivery queue guarantees on %s (e2e)', (_queue, queueEnv) => {
  // A fresh Redis key prefix per test, so no BullMQ job outlives its test into the next.
  const prefix = (): Record<string, string> =>
    queueEnv.REDIS_URL ? { REDIS_PREFIX: `engage-test-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}` } : {};
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
        ...LOCAL_PEERS_ALLOWED,
        DELIVERY_BACKOFF_MS: '30',
        DELIVERY_POLL_MS: '20',
        WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET,
        WEBHOOK_DEFAULT_URL: `${hooks.url}/hook`,
        ...queueEnv,
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
      const env = prefix();
      const first = await appOn(dir.path, env);
      // Due in a moment, so they are still queued when this process stops.
      const at = new Date(Date.now() + 700).toISOString();
      const ids = [];
      for (let i = 0; i < 5; i++) ids.push(await sendWebhook(first, `restart-${i}`, { scheduled_at: at }));
      await first.close();
      expect(hooks.requests).toHaveLength(0);

      const second = await appOn(dir.path, env);
      try {
        await waitFor(async () => (hooks.requests.length >= 5 ? true : undefined), 10_000, 'five deliveries');
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(titlesReceived().sort()).toEqual(['restart-0', 'restart-1', 'restart-2', 'restart-3', 'restart-4']);
        for (const id of ids) {
          const res = await second.http.get(`/api/notifications/deliveries/${id}`).expect(200);
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

  it('takes up a job whose worker was killed mid-delivery, once its lease ran out, and finishes it once', async () => {
    const dir = makeTempDir('engage-crash-');
    hooks.requests.length = 0;
    try {
      const env = prefix();
      const first = await appOn(dir.path, env);
      const id = await sendWebhook(first, 'crashed', { scheduled_at: new Date(Date.now() + 60_000).toISOString() });
      await first.close();
      // What a process killed mid-delivery leaves behind: the job marked running, its lease run out.
      const Database = (await import('better-sqlite3')).default;
      const db = new Database(`${dir.path}/notifications.db`);
      db.prepare("UPDATE delivery_jobs SET state = 'running', run_at = ?, lease_until = ? WHERE notification_id = ?").run(
        '2020-01-01 00:00:00.000',
        '2020-01-01 00:05:00.000',
        id,
      );
      db.close();

      const second = await appOn(dir.path, env);
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

  it('lets a delivery in hand finish at shutdown, and sends it only once across the restart', async () => {
    const dir = makeTempDir('engage-graceful-');
    hooks.requests.length = 0;
    try {
      const env = prefix();
      const first = await appOn(dir.path, env);
      hooks.answer({ status: 200, delayMs: 600 });
      const id = await sendWebhook(first, 'in-hand');
      await waitFor(async () => (hooks.requests.length >= 1 ? true : undefined), 5_000, 'the slow delivery to start');
      await first.close(); // the provider is still answering
      const second = await appOn(dir.path, env);
      try {
        await new Promise((resolve) => setTimeout(resolve, 700));
        expect(titlesReceived()).toEqual(['in-hand']);
        const res = await second.http.get(`/api/notifications/deliveries/${id}`).expect(200);
        expect(res.body).toMatchObject({
          status: 'delivered',
          deliveries: [expect.objectContaining({ attempt: 1, outcome: 'delivered' })],
        });
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
      const t = await appOn(dir.path, { DELIVERY_CONCURRENCY: '1', ...prefix() });
      try {
        const at = new Date(Date.now() + 500).toISOString();
        for (let i = 0; i < 3; i++) await sendWebhook(t, `low-${i}`, { priority: 'low', scheduled_at: at });
        await sendWebhook(t, 'normal', { scheduled_at: at });
        await sendWebhook(t, 'urgent', { priority: 'urgent', scheduled_at: at });
        await waitFor(async () => (hooks.requests.length >= 5 ? true : undefined), 10_000, 'five deliveries');
        const titles = titlesReceived();
        if (queueEnv.REDIS_URL) {
          // BullMQ orders by priority; within one priority it promises no order.
          expect(titles.slice(0, 2)).toEqual(['urgent', 'normal']);
          expect(titles.slice(2).sort()).toEqual(['low-0', 'low-1', 'low-2']);
        } else {
          // The embedded queue also keeps first-in, first-out within a priority.
          expect(titles).toEqual(['urgent', 'normal', 'low-0', 'low-1', 'low-2']);
        }
      } finally {
        await t.close();
      }
    } finally {
      dir.remove();
    }
  });
});

describe('npm run worker (BullMQ on Redis)', () => {
  it('lets worker-only processes deliver for an API process that delivers nothing itself', async () => {
    const hooks = await new HttpPeer(() => ({ status: 200 })).start();
    const dir = makeTempDir('engage-worker-');
    const shared = {
      ACTIVITY_DB_PATH: join(dir.path, 'user_activities.db'),
      NOTIFICATIONS_DB_PATH: join(dir.path, 'notifications.db'),
      AUTH_DB_PATH: join(dir.path, 'auth.db'),
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_PREFIX: `engage-worker-test-${process.pid}-${Date.now()}`,
      WEBHOOK_SIGNING_SECRET: WEBHOOK_SECRET,
      WEBHOOK_DEFAULT_URL: `${hooks.url}/hook`,
      DELIVERY_BACKOFF_MS: '30',
      ...LOCAL_PEERS_ALLOWED,
    };
    const api = await createTestApp({ realClock: true, dir: dir.path, env: { ...shared, DELIVERY_WORKER: 'false' } });
    const worker = spawn(process.execPath, [join(PROJECT_ROOT, 'dist', 'src', 'worker.js')], {
      env: { PATH: process.env.PATH ?? '', ...shared, API_KEYS: TEST_ADMIN_KEY, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    worker.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    worker.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await api.http
          .post('/api/notifications/send')
          .send({ user_id: 'w', title: `via-worker-${i}`, message: 'm', notification_type: 't', channel: 'webhook' })
          .expect(201);
        ids.push(res.body.notification_id);
      }
      await waitFor(
        async () => (hooks.requests.length >= 3 ? true : undefined),
        20_000,
        `the worker's deliveries (worker output: ${output})`,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(hooks.requests.map((r) => JSON.parse(r.text).title).sort()).toEqual(['via-worker-0', 'via-worker-1', 'via-worker-2']);
      for (const id of ids) {
        const res = await api.http.get(`/api/notifications/deliveries/${id}`).expect(200);
        expect(res.body).toMatchObject({
          status: 'delivered',
          deliveries: [expect.objectContaining({ attempt: 1, outcome: 'delivered' })],
        });
      }
    } finally {
      worker.kill('SIGTERM');
      await once(worker, 'exit');
      await api.close();
      await hooks.stop();
      dir.remove();
    }
  });
});
