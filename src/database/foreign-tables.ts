import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { DefaultNamingStrategy, getMetadataArgsStorage } from 'typeorm';
import type { HostConnectionSettings } from './data-source-options';
import type { ModuleSchema } from './module-schema';

/**
 * Refuses to put a module's tables in a host's database that already has a table named like one
 * of them while the module's `<name>_migrations` table is missing: Engage did not make that table
 * (its migrations record every table they create), so it is the host's. Without this check the
 * first migration would fail with a bare "table already exists", or a later one would alter the
 * host's table. The error is about the database, not an option: EngageModule's `dataSource` and a
 * module's own meet it alike.
 */
export function refuseForeignTables(file: string, host: HostConnectionSettings, schema: ModuleSchema): void {
  if (!existsSync(file)) return;
  const tables = tableNames(file, host);
  if (tables.has(`${schema.name}_migrations`)) return;
  // SQLite compares table names without case: the host's `Notifications` is Engage's `notifications`.
  const clashing = entityTableNames(schema).filter((name) => tables.has(name.toLowerCase()));
  if (clashing.length === 0) return;
  const several = clashing.length > 1;
  throw new Error(
    `Engage's ${schema.name} tables cannot go in ${file}: it already has ${several ? 'tables' : 'a table'} ` +
      `${clashing.map((name) => `'${name}'`).join(', ')} that ${several ? 'were' : 'was'} not created by Engage ` +
      `(there is no ${schema.name}_migrations table). Rename the host's ${several ? 'tables' : 'table'}, ` +
      `or give Engage a database of its own`,
  );
}

/** The names (lower case) of the tables in `file`, read as the host's own connection would open it. */
function tableNames(file: string, host: HostConnectionSettings): Set<string> {
  const Driver = (host.driver ?? Database) as typeof Database;
  const probe = new Driver(file, { fileMustExist: true, timeout: 5000, nativeBinding: host.nativeBinding });
  try {
    if (host.key) probe.pragma(`key = ${JSON.stringify(host.key)}`);
    const rows = probe.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>;
    return new Set(rows.map((row) => row.name.toLowerCase()));
  } finally {
    probe.close();
  }
}

/** The tables of the schema's entities, named as TypeORM names them (an explicit @Entity name, else the class's). */
function entityTableNames(schema: ModuleSchema): string[] {
  const naming = new DefaultNamingStrategy();
  const declared = getMetadataArgsStorage().tables;
  return schema.entities.map((entity) => naming.tableName(entity.name, declared.find((table) => table.target === entity)?.name));
}
