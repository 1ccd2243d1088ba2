#!/usr/bin/env node
import 'reflect-metadata';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DataSource, Migration, MigrationExecutor } from 'typeorm';
import { ACTIVITY_SCHEMA } from './activity/activity.schema';
import { AUTH_SCHEMA } from './auth/auth.schema';
import { createCliDataSource, databasePathFromEnv, loadDotEnv } from './database/cli-data-source';
import type { ModuleSchema } from './database/module-schema';
import { NOTIFICATION_SCHEMA } from './notification/notification.schema';
import { ACTIVITY_DATA_SOURCE, AUTH_DATA_SOURCE, EngageDataSourceName, NOTIFICATION_DATA_SOURCE } from './database/data-source-names';

const DATABASES: readonly EngageDataSourceName[] = [ACTIVITY_DATA_SOURCE, NOTIFICATION_DATA_SOURCE, AUTH_DATA_SOURCE];
/** Each database's tables, from the module that owns them. */
const SCHEMAS: Record<EngageDataSourceName, ModuleSchema> = {
  [ACTIVITY_DATA_SOURCE]: ACTIVITY_SCHEMA,
  [NOTIFICATION_DATA_SOURCE]: NOTIFICATION_SCHEMA,
  [AUTH_DATA_SOURCE]: AUTH_SCHEMA,
};
const COMMANDS = ['run', 'revert', 'show'] as const;
type Command = (typeof COMMANDS)[number];

const USAGE = `Usage: engage-migrate <run|revert|show> [--database activity|notification|auth|all]
  run     apply every pending migration
  revert  undo the last applied migration
  show    list the migrations: [X] applied, [ ] pending
--database defaults to all. The files are the service's: ACTIVITY_DB_PATH, NOTIFICATIONS_DB_PATH
and AUTH_DB_PATH, from the environment or a .env file in the working directory.`;

/**
 * Engage's migrations through TypeORM's DataSource API, so a host runs them from its own
 * node_modules (`npx engage-migrate run` in a release step) with no TypeScript, no typeorm CLI and
 * no data-source file of its own.
 */
async function main(argv: string[]): Promise<number> {
  let command: Command;
  let databases: readonly EngageDataSourceName[];
  try {
    ({ command, databases } = parseCommand(argv));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    return 2;
  }
  loadDotEnv();
  for (const [index, name] of databases.entries()) {
    if (index > 0) process.stdout.write('\n');
    const dataSource = createCliDataSource(SCHEMAS[name]);
    process.stdout.write(`${name}: ${resolve(databasePathFromEnv(name))}\n`);
    await dataSource.initialize();
    try {
      for (const line of await execute(command, dataSource)) process.stdout.write(`${line}\n`);
    } finally {
      await dataSource.destroy();
    }
  }
  return 0;
}

function parseCommand(argv: string[]): { command: Command; databases: readonly EngageDataSourceName[] } {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { database: { type: 'string', default: 'all' } },
  });
  const [command, ...extra] = positionals;
  if (!COMMANDS.includes(command as Command)) throw new Error(command ? `Unknown command: ${command}` : 'No command given');
  if (extra.length > 0) throw new Error(`Unexpected argument: ${extra.join(' ')}`);
  const database = values.database;
  if (database === 'all') return { command: command as Command, databases: DATABASES };
  const name = DATABASES.find((candidate) => candidate === database);
  if (!name) throw new Error(`Unknown database: ${database}`);
  return { command: command as Command, databases: [name] };
}

/** Runs one command on an initialised data source; returns the lines that report it. */
async function execute(command: Command, dataSource: DataSource): Promise<string[]> {
  const executor = new MigrationExecutor(dataSource);
  if (command === 'show') {
    // Read without writing: unlike DataSource.showMigrations, this creates no migrations table.
    const applied = byTimestamp(await executor.getExecutedMigrations());
    const pending = await executor.getPendingMigrations();
    return [...applied.map((migration) => `[X] ${migration.name}`), ...pending.map((migration) => `[ ] ${migration.name}`)];
  }
  if (command === 'run') {
    const applied = await dataSource.runMigrations();
    return applied.length === 0 ? ['up to date'] : applied.map((migration) => `applied ${migration.name}`);
  }
  const before = await executor.getExecutedMigrations();
  await dataSource.undoLastMigration();
  const after = new Set((await executor.getExecutedMigrations()).map((migration) => migration.name));
  const reverted = before.filter((migration) => !after.has(migration.name));
  return reverted.length === 0 ? ['nothing to revert'] : reverted.map((migration) => `reverted ${migration.name}`);
}

function byTimestamp(migrations: Migration[]): Migration[] {
  return [...migrations].sort((a, b) => a.timestamp - b.timestamp);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // One line, no stack: a bad variable is named by its message (never its value), and a
    // failing migration by TypeORM's.
    process.stderr.write(`engage-migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
