import type { DataSource, DataSourceOptions } from 'typeorm';
import type { HostConnectionSettings } from './data-source-options';

/**
 * A host's database, for Engage's tables: the host's own TypeORM DataSource (e.g. injected with
 * `getDataSourceToken()`) or plain DataSourceOptions.
 *
 * Engage never runs a query on the host's DataSource object: it opens a DataSource of its own with
 * the host's connection settings. On better-sqlite3 TypeORM runs every query of a data source on
 * one shared connection, and Engage's group commit (TransactionRunner) must own that connection's
 * transactions; the host's transactions interleaving on it would break both. Only better-sqlite3
 * is supported for now.
 */
export type HostDataSource = DataSource | DataSourceOptions;

/** Where a host's database is and how to open it, as buildDataSourceOptions takes them. */
export interface HostDatabase {
  database: string;
  host: HostConnectionSettings;
}

/**
 * The file and connection settings of a host's database, or an error naming `option` (e.g.
 * "EngageModule dataSource") when Engage cannot share it. Connects nowhere: a wrong `type` is
 * refused before any connection is attempted.
 */
export function hostDatabase(dataSource: HostDataSource, option: string): HostDatabase {
  const options = isDataSource(dataSource) ? dataSource.options : dataSource;
  if (options.type !== 'better-sqlite3') {
    throw new Error(
      `${option}: type '${String(options.type)}' is not supported yet; Engage runs on SQLite (better-sqlite3) until PostgreSQL support lands`,
    );
  }
  const database = typeof options.database === 'string' ? options.database.trim() : '';
  // A second connection to ':memory:' (or to '', a private temporary file) opens another database.
  if (database === '' || database === ':memory:') {
    throw new Error(
      `${option}: database '${options.database ?? ''}' is in memory, and Engage opens its own connection, which would see ` +
        'another, empty database; give the path of a file',
    );
  }
  const { driver, nativeBinding, key, statementCacheSize, prepareDatabase } = options;
  const settings = { driver, nativeBinding, key, statementCacheSize, prepareDatabase };
  // Only what the host set: an absent setting keeps TypeORM's default.
  const host = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as HostConnectionSettings;
  return { database: options.database, host };
}

/** A DataSource rather than options (duck-typed: a host's typeorm may be another copy than Engage's). */
function isDataSource(value: HostDataSource): value is DataSource {
  return typeof (value as DataSource).initialize === 'function' && typeof (value as DataSource).options === 'object';
}
