import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { startService } from './support/service-process';
import { makeTempDir } from './support/temp-dir';

// Runs the compiled service (`npx nest build` first), as `npm start` does.
describe('Boot while another process holds a database lock (e2e)', () => {
  const dir = makeTempDir('engage-boot-lock-');

  afterAll(() => dir.remove());

  it('waits for notifications.db and auth.db to be released, saying so, then starts and stores writes', async () => {
    // A first start creates the databases (and prints the first admin key).
    const first = await startService(dir.path);
    const adminKey = (first.output().match(/egk_[A-Za-z0-9_-]{20,}/) ?? [''])[0];
    await first.stop();

    // Another process holds the write lock of both files for 7 s: longer than SQLite's 5 s busy timeout.
    const driver = require.resolve('better-sqlite3');
    const script = `
      const Database = require(${JSON.stringify(driver)});
      const held = [${JSON.stringify(join(dir.path, 'notifications.db'))}, ${JSON.stringify(join(dir.path, 'auth.db'))}].map((file) => {
        const db = new Database(file);
        db.exec('BEGIN IMMEDIATE');
        return db;
      });
      process.stdout.write('locked\\n');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 7000);
      for (const db of held) { db.exec('ROLLBACK'); db.close(); }
    `;
    const holder = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const released = once(holder, 'exit');
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const lockedAt = Date.now();

    // startService waits for /api/health to answer 200 (and fails if the process exits).
    const service = await startService(dir.path);
    try {
      const healthyAfter = Date.now() - lockedAt;
      await released;
      expect(healthyAfter).toBeGreaterThanOrEqual(6500);
      const lines = service.output().split('\n');
      for (const name of ['notifications.db', 'auth.db']) {
        expect(lines.filter((line) => line.includes(`${name} is locked by another process; waiting…`))).toHaveLength(1);
        expect(lines.some((line) => new RegExp(`${name.replace('.', '\\.')} was released after \\d+\\.\\d s; continuing`).test(line))).toBe(
          true,
        );
      }
      expect(service.output()).not.toMatch(/failed to start|database is locked/i);

      const send = await fetch(`${service.baseUrl}/api/notifications/send`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${adminKey}`, 'User-Agent': 'curl/8.5.0' },
        body: JSON.stringify({ user_id: 'after-lock', title: 'T', message: 'M', notification_type: 'n', channel: 'in_app' }),
      });
      expect(send.status).toBe(201);
      const inbox = await fetch(`${service.baseUrl}/api/notifications/user/after-lock`, {
        headers: { Authorization: `Bearer ${adminKey}` },
      });
      expect(((await inbox.json()) as { notifications: unknown[] }).notifications).toHaveLength(1);
    } finally {
      await service.stop();
    }
  }, 60_000);
});
