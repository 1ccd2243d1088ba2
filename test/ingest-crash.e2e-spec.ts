import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { ServiceProcess, startService } from './support/service-process';
import { makeTempDir } from './support/temp-dir';

const ADMIN = 'egk_ingest_crash_admin_key_0123456789';
const CLIENTS = 24;

/**
 * The README's first reliability claim, tested as a crash: the built service tracking under load
 * from many connections is killed with SIGKILL, and every event it answered 2xx for is in the
 * database file afterwards; the restarted service is healthy and counts what is stored.
 */
describe('Tracking when the process is killed (e2e)', () => {
  const dir = makeTempDir('engage-ingest-kill-');
  let service: ServiceProcess | undefined;

  afterAll(async () => {
    await service?.stop();
    dir.remove();
  });

  it('keeps every event it acknowledged, and the restarted service counts them', async () => {
    service = await startService(dir.path, { API_KEYS: ADMIN, RATE_LIMIT_PER_MINUTE: '0', MAX_HEAP_MB: '0' });
    const { baseUrl, child } = service;
    const acknowledged: string[] = [];
    let killed = false;

    const client = async (index: number): Promise<void> => {
      while (!killed) {
        const eventId = randomUUID();
        try {
          const res = await fetch(`${baseUrl}/api/activity/track`, {
            method: 'POST',
            headers: { 'X-API-Key': ADMIN, 'Content-Type': 'application/json' },
            body: JSON.stringify({ user_id: `crash-${index % 6}`, activity_type: 'page_view', page_url: `/p/${index}`, event_id: eventId }),
          });
          if (res.status === 200 || res.status === 201) acknowledged.push(eventId);
          else await res.text();
        } catch {
          return; // the connection died with the process
        }
      }
    };
    const clients = Array.from({ length: CLIENTS }, (_, index) => client(index));
    // Kill once a good number of events are in, mid-stream, with requests in flight.
    while (acknowledged.length < 400) await new Promise((resolve) => setTimeout(resolve, 10));
    killed = true;
    child.kill('SIGKILL');
    await once(child, 'exit');
    service = undefined;
    await Promise.all(clients);

    const db = new Database(join(dir.path, 'user_activities.db'), { readonly: true });
    const stored = new Set(
      (db.prepare('SELECT event_id FROM user_activities').all() as Array<{ event_id: string }>).map((row) => row.event_id),
    );
    db.close();
    const lost = acknowledged.filter((id) => !stored.has(id));
    expect({ acknowledged: acknowledged.length >= 400, lost }).toEqual({ acknowledged: true, lost: [] });

    service = await startService(dir.path, { API_KEYS: ADMIN });
    let counted = 0;
    for (let user = 0; user < 6; user++) {
      const res = await fetch(`${service.baseUrl}/api/analytics/user/crash-${user}`, { headers: { 'X-API-Key': ADMIN } });
      counted += ((await res.json()) as { analytics: { total_activities: number } }).analytics.total_activities;
    }
    expect(counted).toBe(stored.size);
  });
});
