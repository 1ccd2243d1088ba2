// Fills the Engage databases directly (while the service runs, through WAL) for the read scenarios.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';

const sqliteTime = (ms) => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

function open(file) {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 10000');
  return db;
}

/**
 * Copies the seeded rows into the database file and empties the WAL. A running service never
 * sees a WAL of hundreds of MB (it keeps its own under 40 MB), but a million rows seeded in one
 * transaction would leave one behind, and every page read would search it.
 */
function close(db) {
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** Adds `count` notifications; `perUser` of them go to `userId`, the rest spread over 10k other users. */
export function seedNotifications(file, { count, userId, forUser }) {
  const db = open(file);
  const insert = db.prepare(`INSERT INTO notifications (id, user_id, title, message, notification_type, channel, status, data,
    priority, created_at, scheduled_at, available_at, sent_at, read_at, template_id, error)
    VALUES (?, ?, ?, ?, 'bench', 'in_app', 'sent', NULL, 'normal', ?, NULL, ?, ?, NULL, NULL, NULL)`);
  const start = Date.now() - count * 1000;
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const user = i < forUser ? userId : `user-${i % 10_000}`;
      const at = sqliteTime(start + i * 1000);
      insert.run(randomUUID(), user, `Notification ${i}`, 'A message of typical length for an in-app inbox entry.', at, at, at);
    }
  })();
  close(db);
}

/** Adds activities for two users, light and heavy, plus their analytics rows. */
export function seedActivities(file, { light, heavy, lightCount, heavyCount }) {
  const db = open(file);
  const insert = db.prepare(`INSERT INTO user_activities (id, user_id, activity_type, timestamp, session_id, metadata, ip_address,
    user_agent, referrer, page_url) VALUES (?, ?, 'page_view', ?, NULL, NULL, '127.0.0.1', 'bench', NULL, ?)`);
  const analytics = db.prepare(`INSERT OR REPLACE INTO user_analytics (user_id, total_sessions, total_activities, first_activity,
    last_activity, ended_sessions, total_session_duration, avg_session_duration, most_visited_pages, favorite_features, engagement_score)
    VALUES (?, 0, ?, ?, ?, 0, 0, 0, ?, '[]', ?)`);
  const start = Date.now() - (lightCount + heavyCount) * 10;
  db.transaction(() => {
    for (const [user, count] of [
      [light, lightCount],
      [heavy, heavyCount],
    ]) {
      for (let i = 0; i < count; i++) insert.run(randomUUID(), user, sqliteTime(start + i * 10), `/page/${i % 50}`);
      const pages = JSON.stringify([0, 1, 2, 3, 4].map((n) => ({ key: `/page/${n}`, count: Math.ceil(count / 50) })));
      analytics.run(user, count, sqliteTime(start), sqliteTime(start + (count - 1) * 10), pages, 40);
    }
  })();
  close(db);
}
