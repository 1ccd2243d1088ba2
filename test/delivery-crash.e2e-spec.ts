import Database from 'better-sqlite3';
import { once } from 'node:events';
import { join } from 'node:path';
import { HttpPeer } from './support/http-peer';
import { ServiceProcess, startService } from './support/service-process';
import { makeTempDir } from './support/temp-dir';
import { waitFor } from './support/wait-for';

const ADMIN = 'egk_delivery_crash_admin_key_0123456789';

// The built service, killed with SIGKILL while a webhook is in flight: the attempt was on record
// before the call, so the next process marks it unknown and sends again, with the same webhook-id.
describe('A delivery in flight when the process is killed (e2e)', () => {
  const dir = makeTempDir('engage-kill-');
  const hooks = new HttpPeer(() => ({ status: 200 }));
  let service: ServiceProcess | undefined;

  beforeAll(async () => {
    await hooks.start();
  });

  afterAll(async () => {
    await service?.stop();
    await hooks.stop();
    dir.remove();
  });

  const env = () => ({
    API_KEYS: ADMIN,
    WEBHOOK_SIGNING_SECRET: 'whsec_delivery_crash_0123456789',
    WEBHOOK_DEFAULT_URL: `${hooks.url}/hook`,
    OUTBOUND_ALLOW: '127.0.0.1/32',
    OUTBOUND_ALLOW_HTTP: 'true',
    DELIVERY_POLL_MS: '20',
    DELIVERY_BACKOFF_MS: '30',
  });

  it('records the attempt as unknown, sends it again once, and keeps its webhook-id', async () => {
    hooks.answer({ status: 200, delayMs: 10_000 });
    service = await startService(dir.path, env());
    const sent = await fetch(`${service.baseUrl}/api/notifications/send`, {
      method: 'POST',
      headers: { 'X-API-Key': ADMIN, 'Content-Type': 'application/json' },
      body: JSON.stringify({ user_id: 'kill', title: 'T', message: 'M', notification_type: 'n', channel: 'webhook' }),
    });
    const id = ((await sent.json()) as { notification_id: string }).notification_id;
    await waitFor(async () => (hooks.requests.length >= 1 ? true : undefined), 10_000, 'the webhook to be in flight');
    service.child.kill('SIGKILL');
    await once(service.child, 'exit');
    service = undefined;

    // What the database holds after the kill: the attempt in flight, the job leased. The lease
    // (5 minutes) is made to have run out, as it would have by a later restart.
    const db = new Database(join(dir.path, 'notifications.db'));
    expect(db.prepare('SELECT attempt, outcome, finished_at FROM notification_deliveries WHERE notification_id = ?').all(id)).toEqual([
      { attempt: 1, outcome: 'in_flight', finished_at: null },
    ]);
    db.prepare('UPDATE delivery_jobs SET lease_until = ? WHERE notification_id = ?').run('2020-01-01 00:00:00.000', id);
    db.close();

    service = await startService(dir.path, env());
    const settled = await waitFor(
      async () => {
        const res = await fetch(`${service!.baseUrl}/api/notifications/deliveries/${id}`, { headers: { 'X-API-Key': ADMIN } });
        const body = (await res.json()) as {
          status: string;
          deliveries: Array<{ attempt: number; outcome: string; error: string | null }>;
        };
        return body.status === 'delivered' ? body : undefined;
      },
      15_000,
      'the delivery to be retried',
    );
    expect(settled.deliveries.map((d) => [d.attempt, d.outcome])).toEqual([
      [1, 'unknown'],
      [2, 'delivered'],
    ]);
    expect(settled.deliveries[0].error).toMatch(/outcome unknown/);
    const received = hooks.requests.filter((r) => r.url === '/hook');
    expect(received).toHaveLength(2);
    expect(received.map((r) => r.headers['webhook-id'])).toEqual([id, id]);
  }, 60_000);
});
