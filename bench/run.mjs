// npm run bench [-- --quick] [-- --json <file>]
// Engage (built, its own process, production settings, auth on) against a bare node:http +
// better-sqlite3 baseline, on fresh temp SQLite files, with autocannon as the load generator.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { freePort, load, startProcess, startStreamClients } from './lib.mjs';
import { seedActivities, seedNotifications } from './seed.mjs';

const { values: options } = parseArgs({ options: { quick: { type: 'boolean', default: false }, json: { type: 'string' } } });
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DURATION = options.quick ? 3 : 20;
const CONNECTIONS = 50;
/** Inbox streams held open (one user each) while stream_latency sends to their users. */
const STREAMS = options.quick ? 50 : 200;
/** The budget: from a send to its event on an open stream, p95. */
const STREAM_BUDGET_P95_MS = 1000;
const KEY = 'egk_bench_admin_key_00000000000000000000';
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const AUTH = {
  Authorization: `Bearer ${KEY}`,
  'Content-Type': 'application/json',
  'User-Agent': BROWSER,
};
// A secret key is a backend's: it passes its users' browsers on in context, which Engage parses
// and stores (as the baseline stores the request's User-Agent).
const CONTEXT = { user_agent: BROWSER };
const dir = mkdtempSync(join(tmpdir(), 'engage-bench-'));

const healthy = async (baseUrl) => (await fetch(`${baseUrl}/api/health`)).status === 200;

async function startEngage() {
  const port = await freePort();
  return startProcess({
    // The heap budget `npm start` gives the service (package.json), so RSS is what production sees.
    args: [`--max-old-space-size=${process.env.MAX_HEAP_MB ?? 256}`, join(ROOT, 'dist', 'src', 'main.js')],
    cwd: dir,
    baseUrl: `http://127.0.0.1:${port}`,
    ready: healthy,
    env: {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      API_KEYS: KEY,
      LOG_LEVEL: 'log',
      // The limiter stays on the path (its cost is measured) but high enough not to answer 429.
      RATE_LIMIT_PER_MINUTE: '10000000',
    },
  });
}

async function startBaseline() {
  const port = await freePort();
  return startProcess({
    args: [join(ROOT, 'bench', 'baseline.mjs'), join(dir, 'baseline.db'), String(port)],
    cwd: dir,
    baseUrl: `http://127.0.0.1:${port}`,
    ready: async (baseUrl) => (await fetch(`${baseUrl}/`)).status === 404,
    env: {},
  });
}

/** A bare Nest route with the ValidationPipe and no database: the framework's own cost (bench/nest-floor.cjs). */
async function startNestFloor() {
  const port = await freePort();
  return startProcess({
    args: [`--max-old-space-size=${process.env.MAX_HEAP_MB ?? 256}`, join(ROOT, 'bench', 'nest-floor.cjs'), String(port)],
    cwd: ROOT,
    baseUrl: `http://127.0.0.1:${port}`,
    ready: healthy,
    env: { NODE_ENV: 'production' },
  });
}

const trackRequest = () => ({
  method: 'POST',
  path: '/api/activity/track',
  // Spread over many users, as real traffic is, so per-user rows are not one hot spot.
  setupRequest: (request) => ({
    ...request,
    body: JSON.stringify({
      user_id: `user-${Math.floor(Math.random() * 1000)}`,
      activity_type: 'page_view',
      page_url: '/pricing',
      metadata: { plan: 'pro' },
      context: CONTEXT,
    }),
  }),
});

const scenarios = [];
const ratioOf = (figures, baseline) => Math.round((figures.rps / baseline.rps) * 100) / 100;
function record(name, engage, baseline = null, note = undefined, extra = {}) {
  const ratio = baseline ? ratioOf(engage, baseline) : null;
  scenarios.push({ name, engage, baseline, ratio, ...(note ? { note } : {}), ...extra });
  const fmt = (r) =>
    r
      ? `${String(r.rps).padStart(7)} rps  p50 ${String(r.p50_ms).padStart(4)} ms  p99 ${String(r.p99_ms).padStart(4)} ms  err ${r.errors}`
      : '-';
  process.stdout.write(
    `${name.padEnd(22)} engage ${fmt(engage)}  rss ${engage.rss_mb} MB | baseline ${fmt(baseline)} | ratio ${ratio ?? '-'}\n`,
  );
}

/**
 * Waits until the server has worked off what the last scenario left queued (autocannon stops
 * sending at the deadline, but requests already sent are still processed), so that each scenario
 * is measured on an idle server.
 */
async function settle(server) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const started = Date.now();
    await fetch(`${server.baseUrl}/api/health`).catch(() => undefined);
    if (Date.now() - started < 50) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function measure(server, spec) {
  await settle(server);
  server.takePeakRss();
  const figures = await load({ url: server.baseUrl, connections: CONNECTIONS, duration: DURATION, headers: AUTH, ...spec });
  return { ...figures, rss_mb: server.takePeakRss() };
}

let engage;
let baseline;
let floor;
try {
  process.stdout.write(`Engage benchmark: ${DURATION}s per scenario, ${CONNECTIONS} connections, data in ${dir}\n`);
  baseline = await startBaseline();
  engage = await startEngage();

  // Warm both up so the first scenario is not measuring JIT compilation.
  await load({ url: engage.baseUrl, connections: 10, duration: 1, headers: AUTH, requests: [trackRequest()] });
  await load({ url: baseline.baseUrl, connections: 10, duration: 1, headers: AUTH, requests: [trackRequest()] });

  const baselineTrack = await measure(baseline, { requests: [trackRequest()] });
  // The framework's floor, measured in the same run: what Nest + Express + the ValidationPipe
  // cost on this machine before any of Engage's own work (auth, rate limit, logging, database).
  floor = await startNestFloor();
  await load({ url: floor.baseUrl, connections: 10, duration: 1, headers: AUTH, requests: [trackRequest()] });
  const floorTrack = await measure(floor, { requests: [trackRequest()] });
  await floor.stop();
  floor = undefined;
  record('track', await measure(engage, { requests: [trackRequest()] }), baselineTrack, undefined, {
    nest_floor: floorTrack,
    nest_floor_ratio: ratioOf(floorTrack, baselineTrack),
  });
  process.stdout.write(
    `${''.padEnd(22)} nest floor (a Nest route with the ValidationPipe, no database) ${floorTrack.rps} rps, ratio ${ratioOf(floorTrack, baselineTrack)}\n`,
  );

  // Batches of 100 events: `events_per_s` is what this scenario is about.
  const BATCH = 100;
  const batchFigures = await measure(engage, {
    requests: [
      {
        method: 'POST',
        path: '/api/activity/batch',
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({
            batch: Array.from({ length: BATCH }, (_, i) => ({
              user_id: `user-${Math.floor(Math.random() * 1000)}`,
              activity_type: i % 3 === 0 ? 'click' : 'page_view',
              page_url: `/page/${i % 20}`,
              context: CONTEXT,
            })),
          }),
        }),
      },
    ],
  });
  batchFigures.events_per_s = batchFigures.rps * BATCH;
  record('batch', batchFigures, null, `${BATCH} events per request; events_per_s = rps × ${BATCH}`);
  process.stdout.write(`batch events per second: ${batchFigures.events_per_s}\n`);

  record(
    'session',
    await measure(engage, {
      requests: [
        {
          method: 'POST',
          path: '/api/session/start',
          body: JSON.stringify({ user_id: 'session-user' }),
          onResponse: (status, body, context) => {
            context.sessionId = status === 201 ? JSON.parse(body).session_id : undefined;
          },
        },
        {
          method: 'POST',
          setupRequest: (request, context) => (context.sessionId ? { ...request, path: `/api/session/end/${context.sessionId}` } : null),
        },
      ],
    }),
    null,
    'requests per second, a start and an end being two requests',
  );

  // Inbox reads: one user with 500 notifications while the table grows around them. They run
  // before send_in_app, whose rows would otherwise already outnumber the first size.
  const notificationsDb = join(dir, 'notifications.db');
  let total = new Database(notificationsDb, { readonly: true }).prepare('SELECT COUNT(*) AS n FROM notifications').get().n;
  if (total > 0) throw new Error(`the inbox scenarios need an empty notifications table, found ${total} rows`);
  for (const [label, size] of [
    ['10k', 10_000],
    ['100k', 100_000],
    ['1m', 1_000_000],
  ]) {
    seedNotifications(notificationsDb, { count: size - total, userId: 'inbox-user', forUser: total === 0 ? 500 : 0 });
    total = size;
    record(
      `inbox_read_${label}`,
      await measure(engage, { requests: [{ method: 'GET', path: '/api/notifications/user/inbox-user?limit=50' }] }),
    );
  }

  record(
    'send_in_app',
    await measure(engage, {
      requests: [
        {
          method: 'POST',
          path: '/api/notifications/send',
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({
              user_id: `user-${Math.floor(Math.random() * 1000)}`,
              title: 'Hello',
              message: 'A bench message',
              notification_type: 'bench',
              channel: 'in_app',
            }),
          }),
        },
      ],
    }),
  );

  // Send → event on an open stream, under the send load: STREAMS users hold a stream each (as
  // that many browsers would, each opened with a ticket) while every send goes to one of them.
  // The sender puts the time in the notification's data; the stream clients (their own process)
  // time each notification.created event from it.
  const streamUsers = Array.from({ length: STREAMS }, (_, i) => `stream-user-${i}`);
  const streamClients = await startStreamClients({ baseUrl: engage.baseUrl, key: KEY, users: streamUsers });
  let streamFigures;
  try {
    streamFigures = await measure(engage, {
      requests: [
        {
          method: 'POST',
          path: '/api/notifications/send',
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({
              user_id: streamUsers[Math.floor(Math.random() * STREAMS)],
              title: 'Hello',
              message: 'A bench message',
              notification_type: 'bench',
              channel: 'in_app',
              data: { sent_at: performance.timeOrigin + performance.now() },
            }),
          }),
        },
      ],
    });
  } catch (error) {
    streamClients.kill();
    throw error;
  }
  // What must arrive: every notification stored for a streaming user, each once (autocannon does
  // not count the sends still in flight at its deadline, which the service stores all the same).
  await settle(engage);
  const notifications = new Database(notificationsDb, { readonly: true });
  const sent = notifications.prepare("SELECT COUNT(*) AS n FROM notifications WHERE user_id LIKE 'stream-user-%'").get().n;
  notifications.close();
  const latency = await streamClients.stop({ expected: sent, graceMs: 5000 });
  streamFigures.stream_latency = { ...latency, sent, missed: Math.max(0, sent - latency.received), budget_p95_ms: STREAM_BUDGET_P95_MS };
  record('stream_latency', streamFigures, null, `sends while ${STREAMS} streams are open; stream_latency: send → event`, {
    within_budget: latency.p95_ms !== null && latency.p95_ms <= STREAM_BUDGET_P95_MS,
  });
  process.stdout.write(
    `stream latency: ${STREAMS} streams, ${latency.received}/${sent} events, p50 ${latency.p50_ms} ms, p95 ${latency.p95_ms} ms, ` +
      `p99 ${latency.p99_ms} ms, max ${latency.max_ms} ms (budget p95 ≤ ${STREAM_BUDGET_P95_MS} ms)\n`,
  );
  for (const problem of latency.problems) process.stderr.write(`stream_latency: ${problem}\n`);

  // Analytics reads for a user with 1k events and one with ~1M, the table holding ~1M.
  seedActivities(join(dir, 'user_activities.db'), { light: 'light-user', heavy: 'heavy-user', lightCount: 1_000, heavyCount: 999_000 });
  record('analytics_read_1k', await measure(engage, { requests: [{ method: 'GET', path: '/api/analytics/user/light-user' }] }));
  record('analytics_read_1m', await measure(engage, { requests: [{ method: 'GET', path: '/api/analytics/user/heavy-user' }] }));

  const peakRss = Math.max(...scenarios.filter((s) => s.engage).map((s) => s.engage.rss_mb));
  const report = {
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memory_gb: Math.round(totalmem() / 2 ** 30),
      node: process.version,
      sqlite: new Database(':memory:').prepare('SELECT sqlite_version() AS v').get().v,
      duration_s: DURATION,
      connections: CONNECTIONS,
      date: new Date().toISOString(),
    },
    peak_rss_mb: peakRss,
    scenarios,
  };
  process.stdout.write(`peak RSS of Engage: ${peakRss} MB\n`);
  if (options.json) writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  const failed = scenarios.filter(
    (s) =>
      (s.engage && (s.engage.errors > 0 || s.engage.requests === 0)) ||
      s.nest_floor?.errors > 0 ||
      s.engage?.stream_latency?.missed > 0 ||
      s.engage?.stream_latency?.problems.length > 0,
  );
  if (failed.length > 0) {
    process.stderr.write(`scenarios with errors: ${failed.map((s) => s.name).join(', ')}\n`);
    process.exitCode = 1;
  }
} catch (error) {
  process.stderr.write(`benchmark failed: ${error.stack ?? error}\n${engage?.output() ?? ''}\n`);
  process.exitCode = 1;
} finally {
  await engage?.stop();
  await baseline?.stop();
  await floor?.stop();
  rmSync(dir, { recursive: true, force: true });
}
