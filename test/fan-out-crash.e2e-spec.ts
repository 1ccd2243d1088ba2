import Database from 'better-sqlite3';
import { once } from 'node:events';
import { join } from 'node:path';
import { ServiceProcess, startService } from './support/service-process';
import { makeTempDir } from './support/temp-dir';

const ADMIN = 'egk_fan_out_crash_admin_key_0123456789';
const SUBSCRIBERS = 5000;
const KEY = 'fan-out-crash-0001';

/**
 * The README's claim for a fan-out under an Idempotency-Key, tested as a crash: the built service
 * is killed with SIGKILL part-way through a fan-out to a topic of 5,000 subscribers (10
 * transactions of 500), restarted, and the same request is sent again with the same key. Every
 * subscriber ends with exactly one notification, and their inbox counts agree.
 */
describe('A fan-out when the process is killed part-way (e2e)', () => {
  const dir = makeTempDir('engage-fan-out-kill-');
  let service: ServiceProcess | undefined;
  const env = { API_KEYS: ADMIN, RATE_LIMIT_PER_MINUTE: '0', MAX_HEAP_MB: '0' };

  afterAll(async () => {
    await service?.stop();
    dir.remove();
  });

  const call = (path: string, method: string, body: unknown) =>
    fetch(`${service!.baseUrl}${path}`, {
      method,
      headers: { 'X-API-Key': ADMIN, 'Content-Type': 'application/json', 'Idempotency-Key': KEY },
      body: JSON.stringify(body),
    });
  const fanOut = () =>
    call('/api/notifications/fan-out', 'POST', {
      topic: 'release',
      title: 'Version 3 is out',
      message: 'See what changed',
      notification_type: 'release',
      channel: 'in_app',
    });
  const storedRows = (): Array<{ user_id: string; n: number }> => {
    const db = new Database(join(dir.path, 'notifications.db'), { readonly: true, fileMustExist: true });
    try {
      return db.prepare('SELECT user_id, COUNT(*) AS n FROM notifications GROUP BY user_id').all() as Array<{ user_id: string; n: number }>;
    } finally {
      db.close();
    }
  };

  it('stores each recipient once after a kill and a retry with the same key', async () => {
    service = await startService(dir.path, env);
    for (let start = 0; start < SUBSCRIBERS; start += 1000) {
      const user_ids = Array.from({ length: 1000 }, (_, i) => `u${String(start + i).padStart(5, '0')}`);
      const res = await fetch(`${service.baseUrl}/api/topics/release/subscribers`, {
        method: 'PUT',
        headers: { 'X-API-Key': ADMIN, 'Content-Type': 'application/json' },
        body: JSON.stringify({ user_ids }),
      });
      expect(res.status).toBe(200);
    }

    const first = fanOut().catch(() => null); // its connection dies with the process
    let before = 0;
    const deadline = Date.now() + 30_000;
    while (before === 0 && Date.now() < deadline) {
      before = storedRows().length;
      if (before === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    service.child.kill('SIGKILL');
    await once(service.child, 'exit');
    service = undefined;
    expect(await first).toBeNull();
    const afterKill = storedRows().length;
    // Killed part-way: some transactions of 500 committed, not all.
    expect(afterKill).toBeGreaterThan(0);
    expect(afterKill).toBeLessThan(SUBSCRIBERS);
    expect(afterKill % 500).toBe(0);

    service = await startService(dir.path, env);
    const retried = await fanOut();
    expect(retried.status).toBe(201);
    expect(await retried.json()).toMatchObject({ success: true, recipients: SUBSCRIBERS, stored: SUBSCRIBERS, suppressed: 0 });
    const rows = storedRows();
    expect(rows.length).toBe(SUBSCRIBERS);
    expect(rows.filter((row) => row.n !== 1)).toEqual([]);
    // The same key again: the remembered answer, nothing stored twice.
    const replayed = await fanOut();
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    expect(storedRows().length).toBe(SUBSCRIBERS);
    for (const user of ['u00000', 'u02500', 'u04999']) {
      const res = await fetch(`${service.baseUrl}/api/notifications/user/${user}/counts`, { headers: { 'X-API-Key': ADMIN } });
      expect(((await res.json()) as { counts: unknown }).counts).toEqual({ total: 1, unread: 1, unseen: 1 });
    }
  });
});
