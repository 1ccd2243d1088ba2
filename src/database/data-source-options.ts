import type { DataSourceOptions } from 'typeorm';
import type { ModuleSchema } from './module-schema';

/** What a module (or the migration CLI) says about its database. */
export interface DatabaseConnectionOptions {
  /** Path of the SQLite file; created with its directory when missing. */
  database: string;
  /** Apply pending migrations when the data source initialises. */
  migrationsRun?: boolean;
}

/**
 * The one place that turns configuration into TypeORM options. The app modules and the
 * migration CLI's data-source files both call it, so they can never disagree.
 */
export function buildDataSourceOptions(schema: ModuleSchema, options: DatabaseConnectionOptions): DataSourceOptions {
  return {
    type: 'better-sqlite3',
    database: options.database,
    // WAL lets readers run beside the writer; synchronous=NORMAL in WAL mode loses nothing
    // on a process crash (committed pages are in the WAL file), only on power loss.
    enableWAL: true,
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma('synchronous = NORMAL');
      // The savepoint journals of group commit (one savepoint per request) in memory rather
      // than in temp files: this halved the cost of every statement inside a group.
      db.pragma('temp_store = MEMORY');
    },
    // better-sqlite3's busy timeout: wait this long for another process's write lock.
    timeout: 5000,
    entities: schema.entities,
    migrations: schema.migrations,
    // One migrations table per module, so the modules can later share one database server.
    migrationsTableName: `${schema.name}_migrations`,
    migrationsRun: options.migrationsRun ?? true,
    synchronize: false,
    logging: false,
  };
}
