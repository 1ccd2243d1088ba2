import type Database from 'better-sqlite3';
import type { DataSource, EntityMetadata, QueryRunner } from 'typeorm';

/**
 * Every place the engine relies on TypeORM beyond its documented API, in one file.
 * `typeorm-adapter.spec.ts` pins each behaviour against the installed TypeORM: an upgrade that
 * changes one fails there, by name, rather than as lost or doubled writes somewhere else.
 */

/** A column's metadata, as the driver's value conversions take it. */
export type ColumnMetadata = EntityMetadata['columns'][number];

/**
 * The better-sqlite3 connection behind a data source, or null on other databases. TypeORM's
 * better-sqlite3 driver opens exactly one connection and keeps it as `databaseConnection` (not
 * public API); every query runner it creates runs on it.
 */
export function sqliteConnection(dataSource: DataSource): Database.Database | null {
  const driver = dataSource.driver;
  return driver.options.type === 'better-sqlite3'
    ? (driver as unknown as { databaseConnection: Database.Database }).databaseConnection
    : null;
}

/**
 * Marks a query runner as inside a transaction the engine began itself (BEGIN IMMEDIATE, which
 * TypeORM cannot issue). TypeORM's own multi-statement calls (`save`, `remove`) wrap themselves
 * in a transaction unless `isTransactionActive` is set; with it set they run inside ours.
 */
export function markInTransaction(runner: QueryRunner, active: boolean): void {
  const flags = runner as unknown as { isTransactionActive: boolean; transactionDepth: number };
  flags.isTransactionActive = active;
  flags.transactionDepth = active ? 1 : 0;
}

/** A value as `column` stores it, by TypeORM's own conversion, bindable by better-sqlite3 (no booleans, no undefined). */
export function toStored(dataSource: DataSource, column: ColumnMetadata, value: unknown): unknown {
  const stored = dataSource.driver.preparePersistentValue(value, column);
  if (typeof stored === 'boolean') return stored ? 1 : 0;
  return stored === undefined ? null : stored;
}

/** A stored value of `column` as the entity holds it (the reverse of `toStored`). */
export function fromStored(dataSource: DataSource, column: ColumnMetadata, raw: unknown): unknown {
  return dataSource.driver.prepareHydratedValue(raw, column);
}
