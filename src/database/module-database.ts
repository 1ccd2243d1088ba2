import { DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { buildDataSourceOptions, DatabaseConnectionOptions } from './data-source-options';
import type { ModuleSchema } from './module-schema';
import { ModuleOptionsHostModule } from './module-options-host.module';
import { openWhenUnlocked } from './open-when-unlocked';

/**
 * Gives a domain module built by ConfigurableModuleBuilder its own named data source, built
 * from the module's options, so `XModule.forRoot({ database })` is all a host app writes.
 */
export function withModuleDatabase(
  base: DynamicModule,
  optionsToken: string | symbol,
  schema: ModuleSchema,
  defaults: DatabaseConnectionOptions,
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
        useFactory: (options: Partial<DatabaseConnectionOptions>) =>
          buildDataSourceOptions(schema, {
            database: options.database ?? defaults.database,
            migrationsRun: options.migrationsRun ?? defaults.migrationsRun,
          }),
        // Boot waits for a lock another process holds, instead of exiting after the busy timeout.
        dataSourceFactory: (options) => openWhenUnlocked(options!),
      }),
    ],
  };
}
