import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { readDatabaseConfig } from '../config/database.config';
import { NOTIFICATION_DATA_SOURCE } from './data-source-names';
import { buildDataSourceOptions } from './data-source-options';

// The typeorm CLI's entry for the notification database (npm run migration:* scripts).
// Same .env as the app (which reads it through @nestjs/config); real env vars win.
if (existsSync('.env')) process.loadEnvFile('.env');
const config = readDatabaseConfig();
export default new DataSource({
  ...buildDataSourceOptions(NOTIFICATION_DATA_SOURCE, { database: config.notificationsDatabase }),
  migrationsRun: false,
});
