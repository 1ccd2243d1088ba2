import { DataSource } from 'typeorm';
import { readDatabaseConfig } from '../config/database.config';
import { ACTIVITY_DATA_SOURCE } from './data-source-names';
import { buildDataSourceOptions } from './data-source-options';

// The typeorm CLI's entry for the activity database (npm run migration:* scripts).
const config = readDatabaseConfig();
export default new DataSource({
  ...buildDataSourceOptions(ACTIVITY_DATA_SOURCE, { database: config.activityDatabase }),
  migrationsRun: false,
});
