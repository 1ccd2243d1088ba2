import type { Type } from '@nestjs/common';
import type { EngageDataSourceName } from './data-source-names';

/**
 * What a domain module owns in its database: its entities and migrations, under its data source's
 * name. Each domain exports its own (ACTIVITY_SCHEMA, NOTIFICATION_SCHEMA, AUTH_SCHEMA) and hands
 * it down; this folder builds connections from it and imports no domain.
 */
export interface ModuleSchema {
  name: EngageDataSourceName;
  entities: Array<Type<unknown>>;
  migrations: Array<Type<unknown>>;
}
