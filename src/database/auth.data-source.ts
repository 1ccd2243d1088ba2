import { existsSync } from 'node:fs';
import { DataSource } from 'typeorm';
import { readAuthConfig } from '../config/auth.config';
import { AUTH_DATA_SOURCE } from './data-source-names';
import { buildDataSourceOptions } from './data-source-options';

// The typeorm CLI's entry for the auth database (npm run migration:* scripts).
// Same .env as the app (which reads it through @nestjs/config); real env vars win.
if (existsSync('.env')) process.loadEnvFile('.env');
const config = readAuthConfig();
export default new DataSource({
  ...buildDataSourceOptions(AUTH_DATA_SOURCE, { database: config.database }),
  migrationsRun: false,
});
