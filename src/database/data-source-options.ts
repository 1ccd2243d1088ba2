import type { DataSourceOptions } from 'typeorm';
import type { ModuleSchema } from './module-schema';

/** TypeORM's options for a better-sqlite3 data source (the type is not exported on its own). */
export type SqliteDataSourceOptions = Extract<DataSourceOptions, { type: 'better-sqlite3' }>;

/**
 * Settings of a host's own connection that Engage's connection to the same file keeps: what it
 * needs to open the file as the host does (the driver binary, an SQLCipher key, the host's own
 * pragmas or functions). Everything else about the data source stays Engage's.
 */
export type HostConnectionSettings = Pick<
  SqliteDataSourceOptions,
  'driver' | 'nativeBinding' | 'key' | 'statementCacheSize' | 'prepareDatabase'
>;

/** What a module (or the migration CLI) says about its database. */
export interface DatabaseConnectionOptions {
  /** Path of the SQLite file; created with its directory when missing. */
  database: string;
  /** Apply pending migrations when the data source initialises. */
  migrationsRun?: boolean;
  /** When the file is the host's database: how the host opens it (see host-data-source.ts). */
  host?: HostConnectionSettings;
}

/**
 * The one place that turns configuration into TypeORM options. The app modules and the
 * migration CLI's data-source files both call it, so they can never disagree.
 */
export function buildDataSourceOptions(schema: ModuleSchema, options: DatabaseConnectionOptions): SqliteDataSourceOptions {
  const hostPrepare = options.host?.prepareDatabase;
  const prepareEngageConnection = (db: { pragma(sql: string): unknown }) => {
    db.pragma('synchronous = NORMAL');
    // The savepoint journals of group commit (one savepoint per request) in memory rather
    // than in temp files: this halved the cost of every statement inside a group.
    db.pragma('temp_store = MEMORY');
  };
  return {
    // The host's settings first: what follows is what Engage's engine relies on.
    ...options.host,
    type: 'better-sqlite3',
    database: options.database,
    // WAL lets readers run beside the writer; synchronous=NORMAL in WAL mode loses nothing
    // on a process crash (committed pages are in the WAL file), only on power loss.
    enableWAL: true,
    // A host's own preparation (its functions, its pragmas) runs first, so Engage's pragmas hold.
    prepareDatabase: hostPrepare
      ? async (db: { pragma(sql: string): unknown }) => {
          await hostPrepare(db);
          prepareEngageConnection(db);
        }
      : prepareEngageConnection,
    // better-sqlite3's busy timeout: wait this long for another process's write lock.
    timeout: 5000,
    entities: schema.entities,
    migrations: schema.migrations,
    // One migrations table per module, so the modules can share one database (a host's own).
    migrationsTableName: `${schema.name}_migrations`,
    migrationsRun: options.migrationsRun ?? true,
    synchronize: false,
    logging: false,
  };
}
