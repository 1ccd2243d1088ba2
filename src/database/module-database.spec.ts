import Database from 'better-sqlite3';
import { join } from 'node:path';
import { Column, DataSource, DefaultNamingStrategy, Entity, PrimaryColumn } from 'typeorm';
import { makeTempDir } from '../../test/support/temp-dir';
import { moduleDataSourceOptions, type DatabaseChoice } from './module-database';
import type { ModuleSchema } from './module-schema';

@Entity('notes')
class Note {
  @PrimaryColumn('varchar')
  id!: string;

  @Column('varchar')
  body!: string;
}

/** A stand-in for a domain's schema: this floor imports none. */
const SCHEMA: ModuleSchema = { name: 'notification', entities: [Note], migrations: [] };

const choice = (overrides: Partial<DatabaseChoice & { migrationsRun: boolean }>) => ({
  owner: 'NotificationModule',
  databaseOption: 'database',
  dataSourceOption: 'dataSource',
  database: undefined,
  dataSource: undefined,
  defaultDatabase: 'notifications.db',
  migrationsRun: true,
  ...overrides,
});

describe(moduleDataSourceOptions.name, () => {
  const dir = makeTempDir('engage-module-db-');
  afterAll(() => dir.remove());

  it('opens a file of its own without a dataSource: the one given, else the default', () => {
    expect(moduleDataSourceOptions(SCHEMA, choice({}))).toMatchObject({ type: 'better-sqlite3', database: 'notifications.db' });
    expect(moduleDataSourceOptions(SCHEMA, choice({ database: 'mine.db', migrationsRun: false }))).toMatchObject({
      database: 'mine.db',
      migrationsRun: false,
    });
  });

  it("takes only the connection settings of a host's DataSource, never the DataSource itself", () => {
    const host = new DataSource({
      type: 'better-sqlite3',
      database: join(dir.path, 'host.db'),
      key: 'secret',
      statementCacheSize: 7,
      entities: [],
      subscribers: [class HostSubscriber {}],
      namingStrategy: new DefaultNamingStrategy(),
      entityPrefix: 'host_',
      dropSchema: true,
      synchronize: true,
      migrationsTableName: 'migrations',
      logging: true,
    });
    const sut = moduleDataSourceOptions(SCHEMA, choice({ dataSource: host }));
    expect(sut).toMatchObject({
      type: 'better-sqlite3',
      database: join(dir.path, 'host.db'),
      key: 'secret',
      statementCacheSize: 7,
      entities: [Note],
      migrations: [],
      migrationsTableName: 'notification_migrations',
      migrationsRun: true,
      synchronize: false,
      enableWAL: true,
      timeout: 5000,
      logging: false,
    });
    // What would change Engage's tables or drop the host's is not carried over.
    for (const setting of ['subscribers', 'namingStrategy', 'entityPrefix', 'dropSchema']) expect(sut).not.toHaveProperty(setting);
    expect(host.isInitialized).toBe(false);
  });

  it("runs the host's prepareDatabase first, then Engage's pragmas", async () => {
    const calls: string[] = [];
    const sut = moduleDataSourceOptions(
      SCHEMA,
      choice({
        dataSource: {
          type: 'better-sqlite3',
          database: join(dir.path, 'prepared.db'),
          prepareDatabase: async (db: { pragma(sql: string): unknown }) => {
            await Promise.resolve();
            db.pragma('synchronous = FULL');
            calls.push('host');
          },
        },
      }),
    );
    if (sut.type !== 'better-sqlite3') throw new Error('not better-sqlite3');
    await sut.prepareDatabase!({ pragma: (sql: string) => calls.push(sql) });
    expect(calls).toEqual(['synchronous = FULL', 'host', 'synchronous = NORMAL', 'temp_store = MEMORY']);
  });

  it('refuses a path and a dataSource together, another type and an in-memory database, naming the option', () => {
    const file = { type: 'better-sqlite3' as const, database: join(dir.path, 'x.db') };
    expect(() => moduleDataSourceOptions(SCHEMA, choice({ database: 'mine.db', dataSource: file }))).toThrow(
      /^NotificationModule: database and dataSource are both set/,
    );
    expect(() =>
      moduleDataSourceOptions(SCHEMA, choice({ dataSource: { type: 'postgres', host: '127.0.0.1', database: 'engage' } })),
    ).toThrow(
      "NotificationModule dataSource: type 'postgres' is not supported yet; Engage runs on SQLite (better-sqlite3) until PostgreSQL support lands",
    );
    for (const database of [':memory:', '', '  ']) {
      expect(() => moduleDataSourceOptions(SCHEMA, choice({ dataSource: { type: 'better-sqlite3', database } }))).toThrow(
        /^NotificationModule dataSource: database '.*' is in memory/,
      );
    }
  });

  it("refuses a host's table named like one of the module's (in any case) unless the module's migrations made it", () => {
    const file = join(dir.path, 'clash.db');
    const db = new Database(file);
    db.exec('CREATE TABLE "NOTES" (id TEXT PRIMARY KEY)');
    const dataSource = { type: 'better-sqlite3' as const, database: file };
    expect(() => moduleDataSourceOptions(SCHEMA, choice({ dataSource }))).toThrow(
      `Engage's notification tables cannot go in ${file}: it already has a table 'notes' that was not created by Engage ` +
        '(there is no notification_migrations table)',
    );
    // Once the module's migrations table is there, the table is Engage's own: a restart.
    db.exec('CREATE TABLE notification_migrations (id INTEGER PRIMARY KEY, timestamp BIGINT, name TEXT)');
    db.close();
    expect(moduleDataSourceOptions(SCHEMA, choice({ dataSource }))).toMatchObject({ database: file });
  });
});
