import { DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DataSourceOptions } from 'typeorm';
import { buildDataSourceOptions } from './data-source-options';
import { refuseForeignTables } from './foreign-tables';
import { hostDatabase, type HostDatabase, type HostDataSource } from './host-data-source';
import type { ModuleSchema } from './module-schema';
import { ModuleOptionsHostModule } from './module-options-host.module';
import { openWhenUnlocked } from './open-when-unlocked';

/** What a domain module's options say about its database. */
export interface ModuleDatabaseOptions {
  database?: string;
  dataSource?: HostDataSource;
  migrationsRun?: boolean;
}

/** Where a module's tables go, as the host said it: a file of their own, or the host's database. */
export interface DatabaseChoice {
  /** Who took the options, as errors name it: 'ActivityModule', 'EngageModule'. */
  owner: string;
  /** How errors name the two options: 'database' and 'dataSource', or 'activity.database' and 'activity.dataSource'. */
  databaseOption: string;
  dataSourceOption: string;
  /** The file the host named, if it named one. */
  database: string | undefined;
  dataSource: HostDataSource | undefined;
}

/**
 * The host's database a module's tables go in, once Engage can use it: a usable type and file, no
 * path beside it, no table of the host's in the way. Undefined when the tables go in a file of
 * their own. Connects nowhere but to read the host file's table names, so EngageModule checks
 * every part with it before any part opens a connection.
 */
export function checkedHostDatabase(schema: ModuleSchema, choice: DatabaseChoice): HostDatabase | undefined {
  if (choice.dataSource == null) return undefined;
  if (choice.database !== undefined) {
    throw new Error(
      `${choice.owner}: ${choice.databaseOption} and ${choice.dataSourceOption} are both set; the tables go in one database, ` +
        `so give only one (a file apart from the host's database is a dataSource too: { type: 'better-sqlite3', database: '<file>' })`,
    );
  }
  const target = hostDatabase(choice.dataSource, `${choice.owner} ${choice.dataSourceOption}`);
  refuseForeignTables(target.database, target.host, schema);
  return target;
}

/**
 * A module's TypeORM options: a file of its own, or its own connection to the host's database (see
 * HostDataSource for why never the host's connection).
 */
export function moduleDataSourceOptions(
  schema: ModuleSchema,
  choice: DatabaseChoice & { defaultDatabase: string; migrationsRun: boolean },
): DataSourceOptions {
  const host = checkedHostDatabase(schema, choice);
  return buildDataSourceOptions(schema, {
    ...(host ?? { database: choice.database ?? choice.defaultDatabase }),
    migrationsRun: choice.migrationsRun,
  });
}

/**
 * Gives a domain module built by ConfigurableModuleBuilder its own named data source, built
 * from the module's options, so `XModule.forRoot({ database })` (or `{ dataSource }`) is all a
 * host app writes.
 */
export function withModuleDatabase(
  base: DynamicModule,
  optionsToken: string | symbol,
  schema: ModuleSchema,
  owner: string,
  defaults: { database: string; migrationsRun: boolean },
): DynamicModule {
  const optionsHost = ModuleOptionsHostModule.wrap(base, optionsToken);
  return {
    ...base,
    providers: [],
    imports: [
      optionsHost,
      TypeOrmModule.forRootAsync({
        name: schema.name,
        imports: [optionsHost],
        inject: [optionsToken],
        useFactory: (options: ModuleDatabaseOptions) =>
          moduleDataSourceOptions(schema, {
            owner,
            databaseOption: 'database',
            dataSourceOption: 'dataSource',
            database: options.database,
            dataSource: options.dataSource,
            defaultDatabase: defaults.database,
            migrationsRun: options.migrationsRun ?? defaults.migrationsRun,
          }),
        // Boot waits for a lock another process holds, instead of exiting after the busy timeout.
        dataSourceFactory: (options) => openWhenUnlocked(options!),
      }),
    ],
  };
}
