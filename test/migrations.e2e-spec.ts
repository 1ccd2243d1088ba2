import { join } from 'node:path';
import type { Db } from '../src/database/engine/tx';
import { DataSource } from 'typeorm';
import { UserSessionRepository } from '../src/activity/repositories/user-session.repository';
import { ACTIVITY_DATA_SOURCE, AUTH_DATA_SOURCE, EngageDataSourceName, NOTIFICATION_DATA_SOURCE } from '../src/database/data-source-names';
import { buildDataSourceOptions } from '../src/database/data-source-options';
import { ACTIVITY_SCHEMA } from '../src/activity/activity.schema';
import { AUTH_SCHEMA } from '../src/auth/auth.schema';
import { NOTIFICATION_SCHEMA } from '../src/notification/notification.schema';
import { makeTempDir } from './support/temp-dir';

const EXPECTED_TABLES: Record<EngageDataSourceName, string[]> = {
  [ACTIVITY_DATA_SOURCE]: [
    'daily_counts',
    'daily_stats',
    'identities',
    'user_active_days',
    'user_activities',
    'user_activity_counters',
    'user_analytics',
    'user_cohorts',
    'user_group_members',
    'user_groups',
    'user_sessions',
    'user_traits',
  ],
  [NOTIFICATION_DATA_SOURCE]: [
    'delivery_jobs',
    'device_tokens',
    'digest_preferences',
    'idempotency_keys',
    'inbox_counters',
    'inbox_event_heads',
    'inbox_events',
    'notification_deliveries',
    'notification_digests',
    'notification_preferences',
    'notification_schedules',
    'notification_template_locales',
    'notification_templates',
    'notification_types',
    'notifications',
    'stream_tickets',
    'throttle_counters',
    'topic_subscriptions',
    'user_contacts',
  ],
  [AUTH_DATA_SOURCE]: ['api_keys', 'auth_secrets', 'user_token_revocations'],
};

async function tables(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] = await dataSource.query(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%_migrations' ORDER BY name",
  );
  return rows.map((row) => row.name);
}

describe.each([ACTIVITY_SCHEMA, NOTIFICATION_SCHEMA, AUTH_SCHEMA].map((schema) => [schema.name, schema] as const))(
  '%s migrations',
  (name, schema) => {
    const dir = makeTempDir();
    let dataSource: DataSource;

    beforeAll(async () => {
      dataSource = new DataSource({
        ...buildDataSourceOptions(schema, { database: join(dir.path, `${name}.db`) }),
        migrationsRun: false,
      });
      await dataSource.initialize();
    });

    afterAll(async () => {
      await dataSource.destroy();
      dir.remove();
    });

    it('run all the way up, creating every table and index', async () => {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      expect(applied.length).toBe(dataSource.migrations.length);
      expect(await tables(dataSource)).toEqual(EXPECTED_TABLES[name]);
      const indexes: { name: string }[] = await dataSource.query(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'idx_%' OR name LIKE 'uq_%'",
      );
      expect(indexes.length).toBeGreaterThan(0);
    });

    it('leave no difference between the entities and the schema', async () => {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).toEqual([]);
    });

    it('run all the way down, removing every table', async () => {
      for (let i = 0; i < dataSource.migrations.length; i++) {
        await dataSource.undoLastMigration({ transaction: 'each' });
      }
      expect(await tables(dataSource)).toEqual([]);
    });
  },
);

describe('Indexes on the ingest path', () => {
  const dir = makeTempDir();
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = new DataSource(buildDataSourceOptions(ACTIVITY_SCHEMA, { database: join(dir.path, 'hot.db') }));
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    dir.remove();
  });

  const indexes = async (table: string) =>
    (await dataSource.query(`PRAGMA index_list('${table}')`)) as Array<{ name: string; unique: number; partial: number }>;

  const insert = (id: string, eventId: string | null) =>
    dataSource.query(
      "INSERT INTO user_activities (id, user_id, activity_type, timestamp, event_id, is_bot, timestamp_clamped) VALUES (?, 'u1', 'click', '2026-11-26 10:00:00.000', ?, 0, 0)",
      [id, eventId],
    );

  it('keep in the event_id index only events with an event_id, unique per user, serving the duplicate lookup', async () => {
    await insert('a1', null);
    await insert('a2', null);
    await insert('a3', 'e1');
    await expect(insert('a4', 'e1')).rejects.toThrow(/UNIQUE constraint failed/);
    const [{ entries }] = await dataSource.query(
      'SELECT COUNT(*) AS entries FROM user_activities INDEXED BY uq_user_activities_event WHERE event_id IS NOT NULL',
    );
    expect(entries).toBe(1);
    expect((await indexes('user_activities')).find((index) => index.name === 'uq_user_activities_event')).toMatchObject({
      unique: 1,
      partial: 1,
    });
    const plan: Array<{ detail: string }> = await dataSource.query(
      'EXPLAIN QUERY PLAN SELECT id FROM user_activities WHERE user_id = ? AND event_id = ?',
      ['u1', 'e1'],
    );
    expect(plan.map((step) => step.detail).join('\n')).toContain('USING INDEX uq_user_activities_event');
  });

  it('leave counters with their primary key only: an index on count would be rewritten by every increment', async () => {
    expect((await indexes('user_activity_counters')).map((index) => index.name)).toEqual([expect.stringMatching(/^sqlite_autoindex_/)]);
  });

  it('give the session reaper open sessions in start order from an index that a tracked event does not touch', async () => {
    const open = (await indexes('user_sessions')).find((index) => index.name === 'idx_user_sessions_open');
    expect(open?.partial).toBe(1);
    const columns: Array<{ name: string }> = await dataSource.query("PRAGMA index_info('idx_user_sessions_open')");
    expect(columns.map((column) => column.name)).toEqual(['start_time']);
    // The query the reaper runs, as TypeORM builds it.
    const [query, parameters] = new UserSessionRepository(dataSource)
      .staleQuery(dataSource.manager as Db, new Date('2026-11-26T10:00:00Z'), 500)
      .getQueryAndParameters();
    const plan: Array<{ detail: string }> = await dataSource.query(`EXPLAIN QUERY PLAN ${query}`, parameters);
    const steps = plan.map((step) => step.detail).join('\n');
    expect(steps).toContain('USING INDEX idx_user_sessions_open');
    expect(steps).not.toContain('TEMP B-TREE');
  });
});
